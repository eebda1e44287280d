// Plans a chat turn's tools and output format: node-llama-cpp function calling for tool_choice 'auto', a grammar
// over {"name","arguments"} when a call is required, a JSON / JSON-schema grammar for response_format.
import { randomBytes } from 'node:crypto';
import type { ChatModelFunctions, Llama, LlamaGrammar } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import type { ResponseFormat, ToolCall, ToolChoice, ToolDefinition } from '../../common/inference/engine';
import { toGbnfSchema } from './json-schema';

export interface TurnPlan {
  /** Functions the model may call through the chat template's own call syntax (tool_choice 'auto'). */
  functions?: ChatModelFunctions;
  /** Constrains the output: a JSON value, or a forced call when `forcedCall` is set. */
  grammar?: LlamaGrammar;
  /** The output is {"name","arguments"} JSON for one of `documented`; the functions are documented in the prompt. */
  forcedCall: boolean;
  /** Functions described to the model (the prompt) — set whenever tools are in play. */
  documented?: ChatModelFunctions;
}

export async function planTurn(
  llama: Llama,
  p: { tools?: ToolDefinition[]; toolChoice?: ToolChoice; responseFormat?: ResponseFormat },
): Promise<TurnPlan> {
  const tools = p.tools ?? [];
  const choice = p.toolChoice ?? 'auto';
  const names = new Set<string>();
  for (const t of tools) {
    if (names.has(t.name))
      throw new EvolveError('INVALID_ARGUMENT', `tools: the function name "${t.name}" appears twice`, { parameter: 'tools' });
    names.add(t.name);
  }
  if (typeof choice === 'object' && !names.has(choice.name))
    throw new EvolveError('INVALID_ARGUMENT', `tool_choice names "${choice.name}", which is not in tools`, { parameter: 'tool_choice' });
  if (choice === 'required' && tools.length === 0)
    throw new EvolveError('INVALID_ARGUMENT', 'tool_choice "required" needs at least one tool', { parameter: 'tool_choice' });

  const allowed = typeof choice === 'object' ? tools.filter((t) => t.name === choice.name) : tools;
  const functions: ChatModelFunctions = Object.fromEntries(
    tools.map((t, i) => [
      t.name,
      {
        description: t.description,
        params: t.parameters ? toGbnfSchema(t.parameters, { strict: false, where: `tools[${i}].parameters` }) : undefined,
      },
    ]),
  );
  const formatGrammar = await formatToGrammar(llama, p.responseFormat);
  const toolsActive = tools.length > 0 && choice !== 'none';
  if (toolsActive && formatGrammar)
    throw new EvolveError(
      'INVALID_ARGUMENT',
      'response_format json_object/json_schema cannot be combined with tools here; send tool_choice "none" or leave response_format out',
      { parameter: 'response_format' },
    );
  if (!toolsActive) return { grammar: formatGrammar, forcedCall: false, documented: tools.length ? functions : undefined };
  if (choice === 'auto') return { functions, forcedCall: false, documented: functions };

  const callSchema = {
    oneOf: allowed.map((t) => ({
      type: 'object',
      properties: { name: { const: t.name }, arguments: functions[t.name]?.params ?? { type: 'object', additionalProperties: true } },
      required: ['name', 'arguments'],
      additionalProperties: false,
    })),
  };
  return { grammar: await llama.createGrammarForJsonSchema(callSchema as never), forcedCall: true, documented: functions };
}

async function formatToGrammar(llama: Llama, f: ResponseFormat | undefined): Promise<LlamaGrammar | undefined> {
  if (!f || f.type === 'text') return undefined;
  if (f.type === 'json_object') return llama.getGrammarFor('json');
  const schema = toGbnfSchema(f.schema, { strict: true, where: 'response_format.json_schema' });
  try {
    return await llama.createGrammarForJsonSchema(schema as never);
  } catch (e) {
    throw new EvolveError('INVALID_ARGUMENT', `response_format.json_schema: ${e instanceof Error ? e.message : String(e)}`, {
      parameter: 'response_format',
    });
  }
}

/** OpenAI-style call ids ("call_" + 24 random chars); clients echo them back in role "tool" messages. */
export function newToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

export function toToolCall(name: string, params: unknown): ToolCall {
  return { id: newToolCallId(), name, arguments: JSON.stringify(params ?? {}) };
}
