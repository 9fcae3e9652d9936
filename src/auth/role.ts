export type Role = 'admin' | 'supervisor';

/** Route metadata key: the role a route requires. */
export const REQUIRED_ROLE = 'requiredRole';

/** What a role may do: admin can do everything a supervisor can. */
export function roleSatisfies(held: Role, required: Role): boolean {
  return held === 'admin' || held === required;
}
