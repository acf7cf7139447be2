import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useSearch } from "wouter";
import { api, errorMessage } from "../../lib/api";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { IconCheck } from "../../ui/icons";
import { SubmitButton } from "../../ui/SubmitButton";
import { AuthLayout } from "./AuthLayout";
import { useEstablishSession } from "./session";
import {
  type FieldErrors,
  focusFirstError,
  hasErrors,
  PASSWORD_MIN_LENGTH,
  validateEmail,
  validateName,
  validateNewPassword,
} from "./validation";

export default function SignUpPage() {
  useDocumentTitle("Create your account");
  const params = new URLSearchParams(useSearch());
  const establishSession = useEstablishSession();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const signUp = useMutation({
    mutationFn: async () => {
      await api.post("/api/auth/sign-up/email", { name: name.trim(), email: email.trim(), password });
      await establishSession();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: FieldErrors = {
      name: validateName(name),
      email: validateEmail(email),
      password: validateNewPassword(password),
    };
    setErrors(next);
    if (hasErrors(next)) return focusFirstError(event.currentTarget, next);
    signUp.mutate();
  }

  const longEnough = password.length >= PASSWORD_MIN_LENGTH;
  const signInHref = params.get("next") ? `/sign-in?next=${encodeURIComponent(params.get("next") ?? "")}` : "/sign-in";

  return (
    <AuthLayout
      title="Create your account"
      subtitle="Deploy your own AI assistant in minutes, in a cloud account you own."
      footer={
        <>
          Already have an account? <Link href={signInHref}>Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormAlert>{signUp.isError ? errorMessage(signUp.error) : null}</FormAlert>
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          required
          value={name}
          onValueChange={(v) => {
            setName(v);
            setErrors((e) => ({ ...e, name: undefined }));
          }}
          error={errors.name}
        />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onValueChange={(v) => {
            setEmail(v);
            setErrors((e) => ({ ...e, email: undefined }));
          }}
          error={errors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          revealable
          value={password}
          onValueChange={(v) => {
            setPassword(v);
            setErrors((e) => ({ ...e, password: undefined }));
          }}
          error={errors.password}
          hint={
            <span className={longEnough ? "hint-rule hint-rule-ok" : "hint-rule"}>
              <IconCheck className="hint-rule-icon" />
              At least {PASSWORD_MIN_LENGTH} characters
            </span>
          }
        />
        <SubmitButton pending={signUp.isPending} pendingLabel="Creating your account…" block>
          Create account
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
