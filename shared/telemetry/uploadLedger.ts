/** Which upload parts the ingestion endpoint already accepted, per unit of work and stream (see uploadParts.ts). */
export interface UploadLedger {
  acceptedParts(unit: string, stream: string): Promise<ReadonlySet<string>>;
  recordAccepted(unit: string, stream: string, part: string, records: number): Promise<void>;
}
