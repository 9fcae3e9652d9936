/** Map of WebSocket path -> guard, provided by the modules that own those paths. */
export const UPGRADE_GUARDS = Symbol('UPGRADE_GUARDS');
