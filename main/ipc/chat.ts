// Handlers for the `chat` domain.
import { chatContract } from '../../common/contracts/chat';
import type { AppServices } from '../services';
import { ChatService } from '../services/chat/chat-service';
import { MentionResolver } from '../services/chat/mention-context';
import { ProjectChat } from '../services/chat/project-chat';
import { implement } from './handlers';

export const chatHandlers = (s: AppServices) => {
  const client = () => {
    s.store.assertReady();
    return s.store.client;
  };
  // @file / @symbol / @project: the workspace's checked reads, the index store and the projects' hybrid retrieval.
  const mentions = new MentionResolver({
    readFile: (projectId, rel) => s.workspace.readFile(projectId, rel),
    store: { call: (method, params, ro) => client().call(method, params, ro) },
    retrieve: (projectId, query, budget) => s.projects.service.retrieve(projectId, query, budget),
  });
  const chat = new ChatService(s.store, s.localAi, s.providers, s.work, s.logger.scoped('chat'), mentions);
  const projectChat = new ProjectChat({ call: (method, params, ro) => client().call(method, params, ro) }, mentions, s.workspace);
  return implement(chatContract, {
    threads: () => client().call('thread.list', { limit: 500 }),
    createThread: ({ title, projectId }) => client().call('thread.create', { title: title ?? '', projectId: projectId ?? null }),
    renameThread: ({ threadId, title }) => client().call('thread.rename', { id: threadId, title }),
    deleteThread: ({ threadId }) => client().call('thread.delete', { id: threadId }),
    messages: ({ threadId }) => client().call('message.list', { threadId, limit: 10_000 }),
    send: (input, ctx, sink) => chat.send(input, (e) => sink.emit(e), ctx.signal),
    search: ({ query }) => client().call('search', { query, limit: 50 }),
    mentionOptions: ({ threadId, query, limit }) => projectChat.mentionOptions(threadId, query, limit),
    proposeApply: (input) => projectChat.proposeApply(input),
  });
};
