export interface SyntheticTenantTotals {
  total: number;
  delivered: number;
  failed: number;
  filtered: number;
  pending: number;
}

export interface SyntheticCsv {
  rows: number;
  bytes: number;
  distinctKeys: number;
  tenants: Record<string, SyntheticTenantTotals>;
}

export function writeSyntheticCsv(
  path: string,
  opts: { rows: number; seed?: number; days?: number; endMs?: number },
): Promise<SyntheticCsv>;
