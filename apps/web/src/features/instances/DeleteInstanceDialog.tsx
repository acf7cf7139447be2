import { errorMessage } from "../../lib/api";
import { providerName } from "../../lib/providers";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { type InstanceDetail, useDeleteInstance } from "./api";
import { serverLeft } from "./progress";

/** Whether the instance still has a server of its own somewhere. */
function hasServer(instance: InstanceDetail): boolean {
  if (instance.provider === "local") return true;
  // A server may exist before "created" is recorded (a create whose answer is still on its way).
  return instance.state !== "failed" || serverLeft(instance.events);
}

/** Asks before deleting an instance, saying plainly that its server goes with it. */
export function DeleteInstanceDialog({
  instance,
  open,
  onClose,
  onDeleted,
}: {
  instance: InstanceDetail;
  open: boolean;
  onClose: () => void;
  onDeleted: (instance: InstanceDetail) => void;
}) {
  const remove = useDeleteInstance();
  const name = providerName(instance.provider);
  const local = instance.provider === "local";
  const server = hasServer(instance);

  function close() {
    remove.reset();
    onClose();
  }

  return (
    <ConfirmDialog
      open={open}
      title={`Delete “${instance.name}”?`}
      confirmLabel={local || !server ? "Delete instance" : "Delete instance and server"}
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.isError ? errorMessage(remove.error) : null}
      onClose={close}
      onConfirm={() =>
        // The promise, not mutate's callbacks: those are dropped if this page unmounts first (the
        // stream can report the instance gone before this answer is handled).
        remove.mutateAsync(instance.id).then(
          (updated) => {
            remove.reset();
            onDeleted(updated);
          },
          () => undefined, // shown in the dialog (remove.error)
        )
      }
    >
      {local ? (
        <p>
          The assistant stops and its files on this machine are deleted: its settings and its conversations.{" "}
          <strong>This can't be undone.</strong>
        </p>
      ) : server ? (
        <>
          <p>
            <strong>
              The server in your {name} account
              {instance.region || instance.size ? ` (${[instance.region, instance.size].filter(Boolean).join(", ")})` : ""} is deleted
            </strong>
            , with everything on it: the assistant, its settings and its conversations. This can't be undone.
          </p>
          <p className="dialog-note">{name} stops billing for the server once it is deleted. Your cloud account itself stays connected.</p>
        </>
      ) : (
        <p>Its server in your {name} account was already deleted. This removes the instance from your list.</p>
      )}
    </ConfirmDialog>
  );
}
