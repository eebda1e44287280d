// POST /v1/chat/completions: OpenAI chat (stream or not) with tools / tool_choice, the follow-up role "tool"
// message, and response_format json_object / json_schema, translated to the engine's generate call.
import { randomUUID } from 'node:crypto';
import type { EngineMessage, ResponseFormat, ToolChoice, ToolDefinition } from '../../../common/inference/engine';
import { EvolveError } from '../../../common/errors';
import { runFitted, usageJson, type Outcome } from './generation';
import { sendJson } from './http';
import { toSampling } from './params';
import { startEventStream, threadKeyFor, writeEvent, type RouteContext } from './route-context';
import type { ChatBody, ChatMessageIn } from './schemas';

export function toEngineMessages(messages: readonly ChatMessageIn[]): EngineMessage[] {
  return messages.map((m, i): EngineMessage => {
    switch (m.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return { role: 'tool', toolCallId: m.tool_call_id, content: m.content };
      case 'assistant': {
        const calls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
        for (const c of calls) {
          try {
            JSON.parse(c.arguments);
          } catch {
            throw new EvolveError('INVALID_ARGUMENT', `messages[${i}].tool_calls: arguments of ${c.name} are not JSON`, {
              param: `messages.${i}.tool_calls`,
            });
          }
        }
        return { role: 'assistant', content: m.content ?? '', ...(calls.length ? { toolCalls: calls } : {}) };
      }
    }
  });
}

export function toTools(body: Pick<ChatBody, 'tools' | 'tool_choice'>): { tools?: ToolDefinition[]; toolChoice?: ToolChoice } {
  const tools = (body.tools ?? []).map((t) => ({
    name: t.function.name,
    ...(t.function.description ? { description: t.function.description } : {}),
    ...(t.function.parameters ? { parameters: t.function.parameters } : {}),
  }));
  const c = body.tool_choice;
  if (c != null && tools.length === 0 && c !== 'none')
    throw new EvolveError('INVALID_ARGUMENT', "'tool_choice' is only allowed when 'tools' are specified", { param: 'tool_choice' });
  if (c && typeof c === 'object' && !tools.some((t) => t.name === c.function.name))
    throw new EvolveError('INVALID_ARGUMENT', `tool_choice names '${c.function.name}', which is not in tools`, { param: 'tool_choice' });
  const toolChoice: ToolChoice | undefined = c == null ? undefined : typeof c === 'string' ? c : { name: c.function.name };
  return { ...(tools.length ? { tools } : {}), ...(toolChoice && tools.length ? { toolChoice } : {}) };
}

export function toResponseFormat(rf: ChatBody['response_format']): ResponseFormat | undefined {
  if (!rf || rf.type === 'text') return undefined;
  if (rf.type === 'json_object') return { type: 'json_object' };
  if (!rf.json_schema.schema)
    throw new EvolveError('INVALID_ARGUMENT', 'response_format json_schema needs a `schema`', {
      param: 'response_format.json_schema.schema',
    });
  return { type: 'json_schema', schema: rf.json_schema.schema };
}

const toolCallsJson = (o: Outcome) =>
  o.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));

export async function chatCompletions(ctx: RouteContext, b: ChatBody): Promise<void> {
  const model = await ctx.backend.resolve(b.model);
  const messages = toEngineMessages(b.messages);
  const { tools, toolChoice } = toTools(b);
  const responseFormat = toResponseFormat(b.response_format);
  const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
  const created = Math.floor(Date.now() / 1000);
  const stream = b.stream === true;
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: model.id,
    system_fingerprint: 'evolve-local',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  let started = false;
  const begin = () => {
    if (started) return;
    started = true;
    startEventStream(ctx);
    writeEvent(ctx, chunk({ role: 'assistant', content: '' }, null));
  };
  const requested = b.max_completion_tokens ?? b.max_tokens ?? undefined;
  const outcome = await runFitted(
    (maxTokens) => (onToken, signal) =>
      ctx.backend.chat(
        {
          model: model.id,
          threadKey: threadKeyFor(ctx, model.id, b.user),
          messages,
          sampling: toSampling({ ...b, max_tokens: maxTokens, max_completion_tokens: null }, { temperature: 0.7, maxTokens }),
          ...(tools ? { tools } : {}),
          ...(toolChoice ? { toolChoice } : {}),
          ...(responseFormat ? { responseFormat } : {}),
        },
        onToken,
        signal,
      ),
    requested,
    2048,
    {
      stops: b.stop ?? [],
      signal: ctx.signal,
      ...(stream
        ? {
            onText: (t: string) => {
              begin();
              writeEvent(ctx, chunk({ content: t }, null));
            },
          }
        : {}),
    },
  );
  if (outcome.cancelled) return;
  if (stream) {
    begin();
    if (outcome.toolCalls.length) writeEvent(ctx, chunk({ tool_calls: toolCallsJson(outcome).map((c, index) => ({ index, ...c })) }, null));
    writeEvent(ctx, chunk({}, outcome.finish));
    if (b.stream_options?.include_usage)
      writeEvent(ctx, { id, object: 'chat.completion.chunk', created, model: model.id, choices: [], usage: usageJson(outcome.usage) });
    ctx.res.write('data: [DONE]\n\n');
    ctx.res.end();
    return;
  }
  sendJson(
    ctx.res,
    200,
    {
      id,
      object: 'chat.completion',
      created,
      model: model.id,
      system_fingerprint: 'evolve-local',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: outcome.toolCalls.length && !outcome.text ? null : outcome.text,
            ...(outcome.toolCalls.length ? { tool_calls: toolCallsJson(outcome) } : {}),
            refusal: null,
          },
          logprobs: null,
          finish_reason: outcome.finish,
        },
      ],
      usage: usageJson(outcome.usage),
    },
    ctx.headers,
  );
}
