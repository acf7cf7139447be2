/** "•••• a1b2": the only part of a secret that ever comes back from the server. */
export function TokenMask({ last4 }: { last4: string }) {
  return (
    <span className="token-mask">
      <span className="visually-hidden">Ending in </span>
      <span aria-hidden="true">••••{"\u00a0"}</span>
      {last4}
    </span>
  );
}
