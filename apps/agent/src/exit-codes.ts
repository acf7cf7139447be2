// Process exit codes. 78 (EX_CONFIG) tells systemd/supervisors that restarting will not help
// until a person changes something (a revoked credential, a spent token, a broken config file):
// the unit file should carry `RestartPreventExitStatus=78`.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 78;
/** EX_TEMPFAIL: "start me again" — the agent swapped in a new bundle, or a trial of one failed. */
export const EXIT_RESTART = 75;
