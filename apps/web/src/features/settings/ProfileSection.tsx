import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { SubmitButton } from "../../ui/SubmitButton";
import { meQueryKey, useSession } from "../auth/session";
import type { Me } from "../auth/types";
import { validateName } from "../auth/validation";
import { Section } from "./Section";

export function ProfileSection() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const [error, setError] = useState<string | undefined>();

  const save = useMutation({
    mutationFn: (newName: string) => api.patch<Me>("/api/v1/me", { name: newName }),
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = validateName(name);
    setError(problem);
    if (problem) {
      (event.currentTarget.elements.namedItem("name") as HTMLInputElement | null)?.focus();
      return;
    }
    save.mutate(name.trim());
  }

  const unchanged = name.trim() === user.name;

  return (
    <Section id="settings-profile" title="Profile" description="How you appear in Claw Cloud.">
      <form className="form form-inline" onSubmit={onSubmit} noValidate>
        <FormAlert>{save.isError ? errorMessage(save.error) : null}</FormAlert>
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          required
          value={name}
          onValueChange={(v) => {
            setName(v);
            setError(undefined);
            if (save.isSuccess || save.isError) save.reset();
          }}
          error={error}
        />
        <div className="form-actions">
          <SubmitButton pending={save.isPending} pendingLabel="Saving…" variant="secondary" disabled={unchanged}>
            Save name
          </SubmitButton>
          <span className="form-status" role="status" aria-live="polite">
            {save.isSuccess ? "Saved." : null}
          </span>
        </div>
      </form>
    </Section>
  );
}
