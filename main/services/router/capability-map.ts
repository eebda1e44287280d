// Capability → ordered candidate list (provider + model); validated config the settings UI edits.
import { z } from 'zod';
import { CAPABILITIES, type Capability } from '../../../common/providers/types';

export const RouteCandidateSchema = z.object({ providerId: z.string().min(1), model: z.string().min(1) });
export type RouteCandidate = z.infer<typeof RouteCandidateSchema>;

export const CapabilityMapSchema = z.record(z.enum(CAPABILITIES), z.array(RouteCandidateSchema).max(10));
export type CapabilityMap = Partial<Record<Capability, RouteCandidate[]>>;

/** The offline-first default: everything goes to the local model; cloud entries are added by the user. */
export function defaultCapabilityMap(localProviderId: string, localModel: string): CapabilityMap {
  return Object.fromEntries(CAPABILITIES.map((c) => [c, [{ providerId: localProviderId, model: localModel }]])) as CapabilityMap;
}

export function candidatesFor(map: CapabilityMap, capability: Capability): RouteCandidate[] {
  return map[capability] ?? [];
}
