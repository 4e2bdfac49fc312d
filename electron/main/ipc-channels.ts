/** IPC channel names, shared by main and preload. No other channel exists. */
export const IPC_CALL = 'desk:call';
export const IPC_EVENT = 'desk:event';
