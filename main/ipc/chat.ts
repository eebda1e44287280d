// Handlers for the `chat` domain.
import { chatContract } from '../../common/contracts/chat';
import type { AppServices } from '../services';
import { ChatService } from '../services/chat/chat-service';
import { implement } from './handlers';

export const chatHandlers = (s: AppServices) => {
  const chat = new ChatService(s.store, s.localAi, s.providers, s.work, s.logger.scoped('chat'));
  const client = () => {
    s.store.assertReady();
    return s.store.client;
  };
  return implement(chatContract, {
    threads: () => client().call('thread.list', { limit: 500 }),
    createThread: ({ title, projectId }) => client().call('thread.create', { title: title ?? '', projectId: projectId ?? null }),
    renameThread: ({ threadId, title }) => client().call('thread.rename', { id: threadId, title }),
    deleteThread: ({ threadId }) => client().call('thread.delete', { id: threadId }),
    messages: ({ threadId }) => client().call('message.list', { threadId, limit: 10_000 }),
    send: (input, ctx, sink) => chat.send(input, (e) => sink.emit(e), ctx.signal),
    search: ({ query }) => client().call('search', { query, limit: 50 }),
  });
};
