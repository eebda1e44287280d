// The provider form's CA file: the pure form ↔ config mapping for every cloud kind (checked against the contract's own
// schema), and main's refusal of a save (an unreadable CA file) shown in the form itself, with a scripted API (the real
// refusal through the dispatcher is in test/unit/security/ca-file-settings.test.ts).
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import type { ProviderEntry } from '../../../../common/contracts/providers';
import { ProviderConfigSchema } from '../../../../common/providers/config';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { ProviderForm } from '../../../../renderer/features/providers/ProviderForm';
import { fromEntry, toConfig, type CloudKind, type ProviderFormState } from '../../../../renderer/features/providers/provider-form-state';

const CA = '/etc/ssl/company-ca.pem';
const form = (p: Partial<ProviderFormState>): ProviderFormState => ({
  ...fromEntry(null),
  id: 'gw',
  label: 'Gateway',
  url: 'https://gateway.example.com/v1',
  ...p,
});
const entry = (config: ProviderEntry['config']): ProviderEntry => ({
  config,
  hasKey: false,
  leavesMachine: true,
  features: [],
  builtIn: false,
});
const KINDS: CloudKind[] = ['openai', 'anthropic', 'huggingface', 'openai-compatible'];

describe('provider form ↔ config', () => {
  it.each(KINDS)('%s: the CA file goes into the config the contract accepts, and back into the form', (kind) => {
    const config = ProviderConfigSchema.parse(toConfig(form({ kind, caFile: `  ${CA} ` })));
    expect(config).toMatchObject({ kind, caFile: CA });
    const again = fromEntry(entry(config));
    expect(again.caFile).toBe(CA);
    expect(ProviderConfigSchema.parse(toConfig(again))).toEqual(config);
  });

  it.each(KINDS)('%s: an empty CA file means none (the key is left out, not an empty path)', (kind) => {
    const config = toConfig(form({ kind, caFile: '   ' }));
    expect(config).not.toHaveProperty('caFile');
    expect(ProviderConfigSchema.safeParse(config).success).toBe(true);
  });

  it('the local engine has no CA file field value', () => {
    expect(fromEntry(entry({ id: 'local', kind: 'local', label: 'Local', enabled: true })).caFile).toBe('');
  });
});

const PRISTINE = useStore.getInitialState().providers;
const REFUSAL = { code: 'INVALID_ARGUMENT', message: `Cannot read the CA file ${CA}: ENOENT: no such file or directory` };
let upserts: unknown[];

beforeEach(() => {
  upserts = [];
  setApi({
    providers: {
      upsert: async (i: { config: { caFile?: string } }) => {
        upserts.push(i);
        return i.config.caFile === CA ? { ok: false, error: REFUSAL } : { ok: true, value: entry(ProviderConfigSchema.parse(i.config)) };
      },
    },
  } as unknown as EvolveApi);
  useStore.setState({ providers: PRISTINE });
});

/** Server rendering reads the store's initial state, so the current slice is copied there first. */
function render(editing: ProviderEntry | null): string {
  Object.assign(useStore.getInitialState(), { providers: useStore.getState().providers });
  return renderToString(<ProviderForm editing={editing} onDone={() => undefined} />).replace(/<!-- -->/g, '');
}

describe('ProviderForm', () => {
  it('shows the saved CA file when editing', () => {
    const html = render(entry(ProviderConfigSchema.parse(toConfig(form({ kind: 'anthropic', caFile: CA })))));
    expect(html).toContain(`data-testid="provider-ca-file" value="${CA}"`);
    expect(html).not.toContain('provider-form-error');
  });

  it("shows main's refusal of an unreadable CA file in the form, and clears it on a good save", async () => {
    const save = useStore.getState().saveProvider;
    expect(await save({ config: toConfig(form({ kind: 'openai-compatible', caFile: CA })) })).toBe(false);
    expect(useStore.getState().providers.saveError).toEqual(REFUSAL);
    // The form's own refusal is not also the panel-wide error.
    expect(useStore.getState().providers.error).toBeNull();
    expect(render(null)).toMatch(/data-testid="provider-form-error">INVALID_ARGUMENT: Cannot read the CA file \/etc\/ssl\/company-ca.pem/);

    expect(await save({ config: toConfig(form({ kind: 'openai-compatible', caFile: '/etc/ssl/other.pem' })) })).toBe(true);
    expect(useStore.getState().providers.saveError).toBeNull();
    expect(render(null)).not.toContain('provider-form-error');
    expect(upserts).toHaveLength(2);
  });

  it('clearProviderSaveError (the panel calls it when a form opens or closes) drops the last refusal', async () => {
    await useStore.getState().saveProvider({ config: toConfig(form({ caFile: CA })) });
    useStore.getState().clearProviderSaveError();
    expect(render(null)).not.toContain('provider-form-error');
  });
});
