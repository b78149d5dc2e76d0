import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

/**
 * `DefaultAzureCredential` (managed identity in Azure, `az login` on a workstation), built on the first token
 * asked for: a process that never calls Azure (the CLI on its own Azurite and a local estate) never loads
 * `@azure/identity`, one of the heaviest modules it would otherwise load at start-up.
 */
export function defaultAzureCredential(managedIdentityClientId?: string): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {}));
      return (await credential).getToken(scopes, options);
    },
  };
}
