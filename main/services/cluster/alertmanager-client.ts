// Typed Alertmanager v2 client: list alerts, create/list/delete silences (acknowledge = a silence on the alert's labels).
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { AlertSchema, SilenceRequestSchema, type Alert, type SilenceRequest } from '../../../common/cluster/monitoring';
import { errorForStatus, httpRequest, jsonBody, type HttpTarget } from './http';
import { parseAnswer } from './parse';

export const SilenceSchema = z.looseObject({
  id: z.string(),
  status: z.looseObject({ state: z.enum(['active', 'pending', 'expired']) }),
  matchers: z.array(z.looseObject({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().optional() })),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});
export type Silence = z.infer<typeof SilenceSchema>;
const SILENCE_ID_RE = /^[A-Za-z0-9-]{1,64}$/;

export class AlertmanagerClient {
  readonly target: HttpTarget;
  constructor(opts: Omit<HttpTarget, 'serviceName'>) {
    this.target = { serviceName: 'Alertmanager', ...opts };
  }

  async alerts(opts: { active?: boolean; silenced?: boolean; inhibited?: boolean; signal?: AbortSignal } = {}): Promise<Alert[]> {
    const what = 'the alert list';
    const res = await httpRequest(this.target, {
      path: '/api/v2/alerts',
      query: { active: String(opts.active ?? true), silenced: String(opts.silenced ?? true), inhibited: String(opts.inhibited ?? true) },
      signal: opts.signal,
    });
    if (res.status !== 200) throw errorForStatus(this.target, res, what);
    return parseAnswer(z.array(AlertSchema), jsonBody(this.target, res, what), what);
  }

  /** Creates a silence from now for `durationMinutes`; returns its id. */
  async createSilence(input: SilenceRequest, opts: { now?: number; signal?: AbortSignal } = {}): Promise<string> {
    const p = SilenceRequestSchema.safeParse(input);
    if (!p.success) throw new EvolveError('INVALID_ARGUMENT', `Invalid silence: ${p.error.issues[0]?.message ?? ''}`);
    const start = opts.now ?? Date.now();
    const body = {
      matchers: p.data.matchers,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + p.data.durationMinutes * 60_000).toISOString(),
      createdBy: p.data.createdBy,
      comment: p.data.comment,
    };
    const what = 'the silence';
    const res = await httpRequest(this.target, {
      method: 'POST',
      path: '/api/v2/silences',
      body: JSON.stringify(body),
      signal: opts.signal,
    });
    if (res.status !== 200) throw errorForStatus(this.target, res, what);
    return parseAnswer(z.looseObject({ silenceID: z.string() }), jsonBody(this.target, res, what), what).silenceID;
  }

  async silences(signal?: AbortSignal): Promise<Silence[]> {
    const what = 'the silence list';
    const res = await httpRequest(this.target, { path: '/api/v2/silences', signal });
    if (res.status !== 200) throw errorForStatus(this.target, res, what);
    return parseAnswer(z.array(SilenceSchema), jsonBody(this.target, res, what), what);
  }

  /** Expires a silence (note: the v2 path is singular, /api/v2/silence/{id}). */
  async deleteSilence(id: string, signal?: AbortSignal): Promise<void> {
    if (!SILENCE_ID_RE.test(id)) throw new EvolveError('INVALID_ARGUMENT', `Not a silence id: ${id.slice(0, 80)}`);
    const res = await httpRequest(this.target, { method: 'DELETE', path: `/api/v2/silence/${id}`, signal });
    if (res.status !== 200) throw errorForStatus(this.target, res, `silence ${id}`);
  }
}

/** Matchers that silence exactly this alert: every label, equal match. */
export function matchersForAlert(alert: Pick<Alert, 'labels'>): SilenceRequest['matchers'] {
  return Object.entries(alert.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}
