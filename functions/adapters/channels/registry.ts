// The customer channels StreamSync can deliver through. Adding one: a folder exporting its module, and a line here.
import { recorder } from './recorder';
import { sms } from './sms';

export const CHANNELS = [sms, recorder] as const;

export type ChannelName = (typeof CHANNELS)[number]['name'];
