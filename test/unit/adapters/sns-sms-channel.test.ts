// SnsSmsChannel: direct-publish transactional SMS to the customer's E.164 number.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsSmsChannel } from '#adapters/channels/sms/sns-sms-channel';
import { ChannelError } from '#core/errors';
import type { CustomerMessage } from '#core/ports/channel';

const snsMock = mockClient(SNSClient);
const sns = new SNSClient({ region: 'me-south-1' });
const message: CustomerMessage = {
  to: { name: 'Sara', phone: '+966501234567', email: 'sara@example.com' },
  locale: 'ar',
  kind: 'CODE',
  ref: 'S1/O1/L1#1',
  orderReference: 'R-1',
  customerName: 'Sara',
  code: { code: 'GC-1234' },
};
const body = 'مرحباً Sara،\nشكراً لطلبك رقم R-1.\nالرمز: GC-1234';

beforeEach(() => snsMock.reset().on(PublishCommand).resolves({ MessageId: 'm' }));

describe('SnsSmsChannel', () => {
  it('publishes the message in words as a Transactional SMS to the E.164 phone number, and returns its id', async () => {
    await expect(new SnsSmsChannel(sns).send(message)).resolves.toEqual({ providerMessageId: 'm' });
    const input = snsMock.commandCalls(PublishCommand)[0].args[0].input;
    expect(input).toEqual({
      PhoneNumber: '+966501234567',
      Message: body,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
    expect(input.PhoneNumber).toMatch(/^\+[1-9]\d{7,14}$/);
    expect(input.TopicArn).toBeUndefined();
  });

  it('adds the sender id when one is configured', async () => {
    await new SnsSmsChannel(sns, 'StreamSync').send(message);
    expect(snsMock.commandCalls(PublishCommand)[0].args[0].input.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'StreamSync' },
    });
  });

  it('refuses (permanently) without a phone number, naming the ref and not the body, and sends nothing', async () => {
    expect.assertions(3);
    const attempt = new SnsSmsChannel(sns).send({ ...message, to: { email: 'sara@example.com' } });
    await expect(attempt).rejects.toThrow('No phone number for S1/O1/L1#1');
    await attempt.catch((err: Error) => expect(err.message).not.toContain('GC-1234'));
    expect(snsMock.calls()).toHaveLength(0);
  });

  it.each([
    ['ThrottledException', 'TRANSIENT'],
    ['InternalErrorException', 'TRANSIENT'],
    ['InvalidParameterException', 'PERMANENT'],
    ['AuthorizationErrorException', 'PERMANENT'],
    ['TimeoutError', 'UNKNOWN_OUTCOME'],
    ['SomethingNew', 'UNKNOWN_OUTCOME'],
  ] as const)('an SNS %s is a %s ChannelError naming the error, never the text', async (name, failure) => {
    snsMock.on(PublishCommand).rejects(Object.assign(new Error(`boom ${message.code!.code}`), { name }));
    const err = await new SnsSmsChannel(sns).send(message).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ failure, reason: name });
    expect((err as Error).message).not.toContain('GC-1234');
  });

  it('reaches only a valid mobile number', () => {
    const channel = new SnsSmsChannel(sns);
    expect(channel.canReach({ phone: '+966501234567' })).toBe(true);
    expect(channel.canReach({ phone: '0501234567' })).toBe(false);
    expect(channel.canReach({ email: 'sara@example.com' })).toBe(false);
  });
});
