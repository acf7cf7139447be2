export const PASSWORD_MIN_LENGTH = 10;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(email: string): string | undefined {
  if (!email.trim()) return "Enter your e-mail address.";
  if (!EMAIL_PATTERN.test(email.trim())) return "Enter a valid e-mail address, like name@example.com.";
  return undefined;
}

export function validateNewPassword(password: string): string | undefined {
  if (!password) return "Choose a password.";
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  return undefined;
}

export function validateName(name: string): string | undefined {
  return name.trim() ? undefined : "Enter your name.";
}

export type FieldErrors = Record<string, string | undefined>;

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}

/** Moves focus to the first field (by `name`) that has an error. */
export function focusFirstError(form: HTMLFormElement, errors: FieldErrors): void {
  const first = Object.keys(errors).find((key) => errors[key]);
  if (!first) return;
  const element = form.elements.namedItem(first);
  if (element instanceof HTMLElement) element.focus();
}
