// Handlers for the `notifications` domain: settings (secrets to the keychain), and "send test" per channel.
import { notificationsContract } from '../../common/contracts/notifications';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const notificationsHandlers = (s: AppServices) =>
  implement(notificationsContract, {
    get: () => s.notifications.get(),
    set: (input) => s.notifications.set(input),
    sendTest: ({ channel }) => s.notifications.sendTest(channel),
  });
