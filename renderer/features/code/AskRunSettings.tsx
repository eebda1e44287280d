// The ask panel's generation settings: candidates (k) and repair rounds (N). They are saved as settings at once, so
// the next request and the next start use them; a value out of range is shown as such and not saved.
import { useState } from 'react';
import { CodegenSettingsSchema, DEFAULT_SETTINGS, type CodegenSettings } from '../../../common/contracts/settings';
import { useStore } from '../../app/store';

type Field = keyof CodegenSettings;

const FIELDS: Record<Field, { label: string; title: string; testId: string }> = {
  samples: {
    label: 'Candidates',
    title:
      'k: answers generated per request. Above 1, the model also writes tests and the candidate passing the most tests is kept; each candidate costs about one more answer.',
    testId: 'ask-samples',
  },
  maxRounds: {
    label: 'Repair rounds',
    title: 'N: times a failing answer goes back to the model with its compile errors and failing tests (0 = single shot).',
    testId: 'ask-max-rounds',
  },
};

/** Whether the typed text is a valid value, by the schema's own bounds (one source for the limits). */
function valid(field: Field, text: string): boolean {
  return text.trim() !== '' && CodegenSettingsSchema.shape[field].safeParse(Number(text)).success;
}

function rangeMessage(field: Field, saved: number): string {
  const { minValue, maxValue } = CodegenSettingsSchema.shape[field];
  return `${FIELDS[field].label}: a whole number from ${minValue} to ${maxValue} (requests use ${saved})`;
}

export function AskRunSettings() {
  const saved = useStore((s) => s.settings?.codegen ?? DEFAULT_SETTINGS.codegen);
  const save = useStore((s) => s.saveSettings);
  // Only text that is not the stored value is held here (a value being typed, or out of range): everything else shows
  // what is stored, so settings that load after the first render, or a failed save rolled back, show as they are.
  const [typed, setTyped] = useState<Partial<Record<Field, string>>>({});
  const text = (field: Field): string => typed[field] ?? String(saved[field]);
  const errors = (Object.keys(FIELDS) as Field[]).filter((f) => !valid(f, text(f))).map((f) => rangeMessage(f, saved[f]));

  const change = (field: Field, value: string) => {
    if (!valid(field, value)) return setTyped({ ...typed, [field]: value });
    const { [field]: _done, ...rest } = typed;
    setTyped(rest);
    if (Number(value) !== saved[field]) void save({ codegen: { ...saved, [field]: Number(value) } });
  };

  return (
    <div className="row ask-run-settings" data-testid="ask-run-settings">
      {(Object.keys(FIELDS) as Field[]).map((field) => (
        <label key={field} title={FIELDS[field].title}>
          {FIELDS[field].label}{' '}
          <input
            type="number"
            inputMode="numeric"
            min={CodegenSettingsSchema.shape[field].minValue ?? undefined}
            max={CodegenSettingsSchema.shape[field].maxValue ?? undefined}
            step={1}
            value={text(field)}
            onChange={(e) => change(field, e.target.value)}
            aria-invalid={!valid(field, text(field))}
            data-testid={FIELDS[field].testId}
          />
        </label>
      ))}
      {errors.length > 0 && (
        <span className="warn-text" role="status" data-testid="ask-run-settings-error">
          {errors.join('; ')}
        </span>
      )}
    </div>
  );
}
