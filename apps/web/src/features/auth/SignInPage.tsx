import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useSearch } from "wouter";
import { api, errorMessage } from "../../lib/api";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { SubmitButton } from "../../ui/SubmitButton";
import { AuthLayout } from "./AuthLayout";
import { useEstablishSession } from "./session";
import { type FieldErrors, focusFirstError, hasErrors, validateEmail } from "./validation";

export default function SignInPage() {
  useDocumentTitle("Sign in");
  const params = new URLSearchParams(useSearch());
  const establishSession = useEstablishSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const signIn = useMutation({
    mutationFn: async () => {
      await api.post("/api/auth/sign-in/email", { email: email.trim(), password });
      await establishSession();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: FieldErrors = {
      email: validateEmail(email),
      password: password ? undefined : "Enter your password.",
    };
    setErrors(next);
    if (hasErrors(next)) return focusFirstError(event.currentTarget, next);
    signIn.mutate();
  }

  const signUpHref = params.get("next") ? `/sign-up?next=${encodeURIComponent(params.get("next") ?? "")}` : "/sign-up";

  return (
    <AuthLayout
      title="Sign in to Claw Cloud"
      subtitle="Welcome back. Your assistant is waiting."
      footer={
        <>
          New to Claw Cloud? <Link href={signUpHref}>Create an account</Link>
        </>
      }
    >
      {params.get("reset") === "success" ? (
        <FormAlert tone="success">Your password was changed. Sign in with your new password.</FormAlert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormAlert>{signIn.isError ? errorMessage(signIn.error) : null}</FormAlert>
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
          autoComplete="current-password"
          required
          revealable
          value={password}
          onValueChange={(v) => {
            setPassword(v);
            setErrors((e) => ({ ...e, password: undefined }));
          }}
          error={errors.password}
          labelAside={
            <Link href="/forgot-password" className="field-label-link">
              Forgot password?
            </Link>
          }
        />
        <SubmitButton pending={signIn.isPending} pendingLabel="Signing in…" block>
          Sign in
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
