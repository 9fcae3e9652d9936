/**
 * What a writer believes about the agent it is changing (HTTP's If-Match): that it exists at all,
 * or that its current version is one of those it names. Checked under the store's lock for that agent.
 */
export type VersionPrecondition = { kind: 'exists' } | { kind: 'one-of'; versions: readonly number[] };

export function preconditionHolds(precondition: VersionPrecondition | undefined, currentVersion: number | undefined): boolean {
  if (!precondition) return true;
  if (currentVersion === undefined) return false;
  return precondition.kind === 'exists' || precondition.versions.includes(currentVersion);
}

export function describeFailedPrecondition(key: string, precondition: VersionPrecondition, currentVersion: number | undefined): string {
  if (currentVersion === undefined) return `There is no agent "${key}" yet, so If-Match cannot match`;
  const versions = precondition.kind === 'one-of' ? precondition.versions : [];
  const named = versions.length > 0 ? `version ${versions.join(', ')}` : 'no version of it';
  return `Agent "${key}" is at version ${currentVersion} but If-Match named ${named}: read it again and reapply the change`;
}
