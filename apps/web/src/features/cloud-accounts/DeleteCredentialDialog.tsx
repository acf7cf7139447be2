import { errorMessage } from "../../lib/api";
import { providerName } from "../../lib/providers";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { type CloudCredential, useDeleteCredential } from "./api";

/** Asks before deleting an account; deployed servers are not touched, and the dialog says so. */
export function DeleteCredentialDialog({
  credential,
  onClose,
  onDeleted,
  fallbackFocus,
}: {
  credential: CloudCredential | null;
  onClose: () => void;
  onDeleted: (credential: CloudCredential) => void;
  fallbackFocus?: () => HTMLElement | null;
}) {
  const remove = useDeleteCredential();
  const name = credential ? providerName(credential.provider) : "";

  function close() {
    remove.reset();
    onClose();
  }

  return (
    <ConfirmDialog
      open={credential !== null}
      title={credential ? `Delete “${credential.label}”?` : ""}
      confirmLabel="Delete account"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.isError ? errorMessage(remove.error) : null}
      onClose={close}
      onConfirm={() => {
        if (!credential) return;
        remove.mutate(credential.id, {
          onSuccess: () => {
            remove.reset();
            onDeleted(credential);
          },
        });
      }}
      {...(fallbackFocus ? { fallbackFocus } : {})}
    >
      {credential ? (
        <>
          <p>
            Claw Cloud will erase its copy of this {name} {credential.provider === "aws" ? "credential" : "token"} (ending in{" "}
            <span className="token-mask">{credential.last4}</span>). You can't deploy to this account again until you add it again.
          </p>
          <p>
            <strong>Servers already deployed with it are not affected:</strong> they keep running, and they stay in your {name} account.
          </p>
          <p className="dialog-note">
            To make the {credential.provider === "aws" ? "credential" : "token"} itself useless, revoke it in {name} as well.
          </p>
        </>
      ) : null}
    </ConfirmDialog>
  );
}
