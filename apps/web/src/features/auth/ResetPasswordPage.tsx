import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { ApiError, api, errorMessage } from "../../lib/api";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Field } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { IconAlert } from "../../ui/icons";
import { SubmitButton } from "../../ui/SubmitButton";
import { AuthLayout } from "./AuthLayout";
import { PASSWORD_MIN_LENGTH, validateNewPassword } from "./validation";

function InvalidLink() {
  return (
    <AuthLayout
      title="This link doesn't work anymore"
      footer={
        <>
          Remembered it? <Link href="/sign-in">Back to sign in</Link>
        </>
      }
    >
      <div className="auth-notice auth-notice-danger" role="alert">
        <span className="auth-notice-icon" aria-hidden="true">
          <IconAlert />
        </span>
        <p>This password reset link is invalid or has already been used. Reset links work once and expire after a while.</p>
      </div>
      <Link href="/forgot-password" className="btn btn-primary btn-block">
        Request a new link
      </Link>
    </AuthLayout>
  );
}

export default function ResetPasswordPage() {
  useDocumentTitle("Choose a new password");
  const params = new URLSearchParams(useSearch());
  const token = params.get("token");
  const [, navigate] = useLocation();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();

  const reset = useMutation({
    mutationFn: () => api.post("/api/auth/reset-password", { newPassword: password, token }),
    onSuccess: () => navigate("/sign-in?reset=success", { replace: true }),
  });

  if (params.get("error") || !token) return <InvalidLink />;
  if (reset.error instanceof ApiError && reset.error.code === "INVALID_TOKEN") return <InvalidLink />;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = validateNewPassword(password);
    setError(problem);
    if (problem) {
      (event.currentTarget.elements.namedItem("password") as HTMLInputElement | null)?.focus();
      return;
    }
    reset.mutate();
  }

  return (
    <AuthLayout title="Choose a new password" subtitle="After this, you'll sign in with the new password.">
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormAlert>{reset.isError ? errorMessage(reset.error) : null}</FormAlert>
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          revealable
          value={password}
          onValueChange={(v) => {
            setPassword(v);
            setError(undefined);
          }}
          error={error}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        />
        <SubmitButton pending={reset.isPending} pendingLabel="Saving…" block>
          Save new password
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
