import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { SubmitButton } from "../../ui/SubmitButton";
import { useSession } from "../auth/session";
import { type FieldErrors, focusFirstError, hasErrors, PASSWORD_MIN_LENGTH, validateNewPassword } from "../auth/validation";
import { Section } from "./Section";

export function PasswordSection() {
  const { user } = useSession();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const change = useMutation({
    mutationFn: () => api.post("/api/auth/change-password", { currentPassword, newPassword, revokeOtherSessions: true }),
    onSuccess: () => {
      setCurrentPassword("");
      setNewPassword("");
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: FieldErrors = {
      currentPassword: currentPassword ? undefined : "Enter your current password.",
      newPassword: validateNewPassword(newPassword),
    };
    if (!next.newPassword && newPassword === currentPassword) next.newPassword = "Choose a password different from the current one.";
    setErrors(next);
    if (hasErrors(next)) return focusFirstError(event.currentTarget, next);
    change.mutate();
  }

  function edit(setter: (v: string) => void, key: string) {
    return (value: string) => {
      setter(value);
      setErrors((e) => ({ ...e, [key]: undefined }));
      if (change.isSuccess) change.reset();
    };
  }

  return (
    <Section id="settings-password" title="Password" description="Changing your password signs you out everywhere else.">
      <form className="form form-inline" onSubmit={onSubmit} noValidate>
        <FormAlert>{change.isError ? errorMessage(change.error) : null}</FormAlert>
        <FormAlert tone="success">{change.isSuccess ? "Password changed. Your other sessions were signed out." : null}</FormAlert>
        {/* Lets password managers pair the new password with this account. */}
        <input type="text" name="username" autoComplete="username" hidden readOnly value={user.email} />
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          revealable
          value={currentPassword}
          onValueChange={edit(setCurrentPassword, "currentPassword")}
          error={errors.currentPassword}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          revealable
          value={newPassword}
          onValueChange={edit(setNewPassword, "newPassword")}
          error={errors.newPassword}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        />
        <div className="form-actions">
          <SubmitButton pending={change.isPending} pendingLabel="Changing password…" variant="secondary">
            Change password
          </SubmitButton>
        </div>
      </form>
    </Section>
  );
}
