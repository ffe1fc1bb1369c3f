/** The owner's notification switches and default reminder schedule: one function per endpoint. */
import { api } from '../../../lib/apiClient.js';

const base = '/api/account/notifications/';

export const getNotificationSettings = () => api.get(base);
/** changes: any of the switches, reminders_enabled, reminder_offsets; answers the whole set. */
export const updateNotificationSettings = (changes) => api.patch(base, changes);
