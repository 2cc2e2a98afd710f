// The customer channels StreamSync can deliver through. Adding one: a folder exporting its module, and a line here.
import { email } from './email';
import { recorder } from './recorder';
import { sms } from './sms';
import { smsEum } from './sms-eum';
import { whatsapp } from './whatsapp';

export const CHANNELS = [sms, recorder, whatsapp, email, smsEum] as const;

export type ChannelName = (typeof CHANNELS)[number]['name'];
