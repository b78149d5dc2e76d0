import { asRecord, asString } from './read.js';

export interface ProviderRegistration {
  readonly namespace: string;
  readonly registrationState?: string;
}

export function parseProvider(raw: unknown): ProviderRegistration | undefined {
  const item = asRecord(raw);
  const namespace = asString(item?.['namespace']);
  return namespace ? { namespace, registrationState: asString(item?.['registrationState']) } : undefined;
}
