import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "wouter";
import { api, errorMessage } from "../../lib/api";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { IconMail } from "../../ui/icons";
import { SubmitButton } from "../../ui/SubmitButton";
import { AuthLayout } from "./AuthLayout";
import { validateEmail } from "./validation";

export default function ForgotPasswordPage() {
  useDocumentTitle("Reset your password");
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>();

  const request = useMutation({
    mutationFn: (address: string) => api.post("/api/auth/request-password-reset", { email: address, redirectTo: "/reset-password" }),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = validateEmail(email);
    setError(problem);
    if (problem) {
      (event.currentTarget.elements.namedItem("email") as HTMLInputElement | null)?.focus();
      return;
    }
    request.mutate(email.trim());
  }

  const footer = (
    <>
      Remembered it? <Link href="/sign-in">Back to sign in</Link>
    </>
  );

  if (request.isSuccess) {
    return (
      <AuthLayout title="Check your inbox" footer={footer}>
        <div className="auth-notice" role="status" aria-live="polite">
          <span className="auth-notice-icon" aria-hidden="true">
            <IconMail />
          </span>
          <p>
            If an account exists for <strong>{request.variables}</strong>, we sent a link to reset your password. It can take a minute to
            arrive; check your spam folder too.
          </p>
        </div>
        <button
          type="button"
          className="btn btn-secondary btn-block"
          onClick={() => {
            request.reset();
            setEmail("");
          }}
        >
          Use a different e-mail
        </button>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the e-mail you signed up with and we'll send you a link to choose a new password."
      footer={footer}
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormAlert>{request.isError ? errorMessage(request.error) : null}</FormAlert>
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
            setError(undefined);
          }}
          error={error}
        />
        <SubmitButton pending={request.isPending} pendingLabel="Sending link…" block>
          Send reset link
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
