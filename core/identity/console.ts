/** The console's chat identity for a member of a workspace: the demo seed and the console agree on it. */
export const consoleExternalId = (workspaceSlug: string, memberNameKey: string) => `${workspaceSlug}:${memberNameKey}`;
