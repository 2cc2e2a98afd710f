// Issue 12: least privilege, asserted on the synthesized template. Every wildcard in every IAM policy
// (an action with `*`, or a resource with `*`) must be on the allow list below with its reason; a new
// one fails here whatever cdk-nag was told. Plus the per-function table grants and no secret values in
// any function's environment. Synthesized without bundling: grants do not depend on the code.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '#lib/streamsync-app';
import type { StreamSyncFunction } from '#lib/streamsync-function';
import type { StreamSyncStack } from '#lib/streamsync-stack';
import { functionsOf } from './stack-functions';

const ROOT = path.resolve(__dirname, '..', '..');
const cdkContext = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

function synth(context: Record<string, unknown> = {}) {
  const { app, stack } = createApp({ context: { ...cdkContext, ...context, 'aws:cdk:bundling-stacks': [] } }, { nag: false });
  app.synth();
  return { stack, template: Template.fromStack(stack) };
}

/** A template value (with Ref / Fn::GetAtt / Fn::Join / Fn::Sub) as one flat string, the way cdk-nag prints it. */
function flat(node: unknown): string {
  if (typeof node === 'string') return node;
  const obj = node as Record<string, unknown>;
  if (obj['Fn::Join']) return (obj['Fn::Join'] as [string, unknown[]])[1].map(flat).join((obj['Fn::Join'] as [string])[0]);
  if (obj['Fn::Sub']) return flat(Array.isArray(obj['Fn::Sub']) ? obj['Fn::Sub'][0] : obj['Fn::Sub']);
  if (obj['Fn::GetAtt']) return `<${(obj['Fn::GetAtt'] as string[]).join('.')}>`;
  if (obj.Ref) return `<${obj.Ref as string}>`;
  return JSON.stringify(node);
}

interface Wildcard {
  /** The policy's logical id (a function's role policy starts with the function's id). */
  policy: string;
  action: string;
  resource: string;
}

/** Every (action, resource) pair with a `*` in either, from every IAM policy and every resource policy. */
function wildcards(template: Template): Wildcard[] {
  const found: Wildcard[] = [];
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  for (const [id, resource] of Object.entries(resources)) {
    const document = resource.Properties?.PolicyDocument ?? resource.Properties?.KeyPolicy;
    if (!document) continue;
    for (const statement of document.Statement as Array<Record<string, unknown>>) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of [statement.Action ?? []].flat() as string[]) {
        for (const raw of [statement.Resource ?? []].flat()) {
          const resourceText = flat(raw);
          if (action.includes('*') || resourceText.includes('*')) found.push({ policy: id, action, resource: resourceText });
        }
      }
    }
  }
  return found;
}

const TABLE_KEY = String.raw`<DataKey[0-9A-F]{8}\.Arn>`;
const ALERTS_KEY = String.raw`<ObservabilityAlertsKey[0-9A-F]{8}\.Arn>`;
const secretPrefix = (prefix: string) => String.raw`arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:streamsync/${prefix}/\*`;
const RESTOCK = '(InventoryRestockStreamFn|InventoryRestockPollFn|InventoryRestockSweepFn)';

/** Every wildcard the stack may hold: who (policy id), which action, on what, and why. Nothing else passes. */
const ALLOWED: Array<{ who: string; action: string; resource: string; why: string }> = [
  { who: '.*FnRoleDefaultPolicy', action: 'xray:(PutTraceSegments|PutTelemetryRecords)', resource: String.raw`\*`, why: 'Active tracing: these X-Ray actions have no resource-level permissions.' },
  { who: 'InventoryRestockStreamFnRoleDefaultPolicy', action: 'dynamodb:ListStreams', resource: String.raw`\*`, why: 'The stream event source: ListStreams is not resource-scoped (the records are read on this stream only).' },
  { who: 'DeliveryDeliveryFnsmsAccess', action: 'sns:Publish', resource: String.raw`\*`, why: 'The SNS `sms` channel, only when chosen (`-c channel=sms`): an SMS to a phone number has no resource ARN. The default, sms-eum, has no such grant (docs/security.md).' },
  { who: `(DeliveryDeliveryFn|${RESTOCK})RoleDefaultPolicy`, action: 'dynamodb:Query', resource: String.raw`<DataTable[0-9A-F]{8}\.Arn>/index/\*`, why: 'Queries of the two GSIs (available, kind) of this one table.' },
  { who: '.*FnRoleDefaultPolicy', action: String.raw`kms:(GenerateDataKey\*|ReEncrypt\*)`, resource: `(${TABLE_KEY}|${ALERTS_KEY})`, why: "CDK's grants for an encrypted table or topic: the action wildcards on that one key." },
  { who: 'IngestWebhookFnRoleDefaultPolicy', action: 'secretsmanager:GetSecretValue', resource: `(${secretPrefix('webhook')}|${secretPrefix('webhook-app')})`, why: 'Per-store and per-app webhook secrets, created after deploy: known by prefix.' },
  { who: '(IngestWebhookFn|DeliveryDeliveryFn|WriteBackWriteBackFn)RoleDefaultPolicy', action: 'secretsmanager:(CreateSecret|PutSecretValue)', resource: secretPrefix('store-tokens'), why: "Each store's API tokens, one secret per store created on install or first refresh." },
  { who: '(DeliveryDeliveryFn|WriteBackWriteBackFn)RoleDefaultPolicy', action: 'secretsmanager:GetSecretValue', resource: secretPrefix('store-tokens'), why: 'The store API users (payment check, write-back) read the tokens; the webhook only writes them.' },
  { who: `${RESTOCK}RoleDefaultPolicy`, action: 'secretsmanager:GetSecretValue', resource: secretPrefix('supplier'), why: 'Supplier credentials, one secret per supplier adapter.' },
];

const allows = (w: Wildcard) => (rule: (typeof ALLOWED)[number]) =>
  new RegExp(`^${rule.who}[0-9A-F]{8}$`).test(w.policy) && new RegExp(`^${rule.action}$`).test(w.action) && new RegExp(`^${rule.resource}$`).test(w.resource);

/** The deployments whose templates differ in grants: the default (End User Messaging SMS), a channel chain, SNS SMS. */
const VARIANTS: Array<[string, Record<string, unknown>]> = [
  ['default', {}],
  ['a channel chain', { channel: 'whatsapp,sms-eum,email' }],
  ['sns sms', { channel: 'sms' }],
];

const TEMPLATES = new Map<string, ReturnType<typeof synth>>();
beforeAll(() => {
  for (const [name, context] of VARIANTS) TEMPLATES.set(name, synth(context));
}, 120_000);

describe('wildcards in IAM policies: only the allow list', () => {
  it.each(VARIANTS.map(([name]) => name))('%s: every wildcard action or resource is allowed, with its reason', (name) => {
    const { template } = TEMPLATES.get(name)!;
    const iamOnly = wildcards(template).filter((w) => template.toJSON().Resources[w.policy].Type === 'AWS::IAM::Policy');
    expect(iamOnly.filter((w) => !ALLOWED.some(allows(w)))).toEqual([]);
    // No service-wide action anywhere (`s3:*`, `*`).
    expect(iamOnly.filter((w) => /(^|:)\*$/.test(w.action))).toEqual([]);
  });

  it('every allow-list entry is still needed (the list stays exact)', () => {
    const all = [...TEMPLATES.values()].flatMap(({ template }) => wildcards(template));
    expect(ALLOWED.filter((rule) => !all.some((w) => allows(w)(rule))).map((rule) => rule.why)).toEqual([]);
  });

  it('sns:Publish on "*" exists only when the SNS sms channel is chosen; the default (sms-eum) has none', () => {
    const publishEverywhere = (name: string) => wildcards(TEMPLATES.get(name)!.template).filter((w) => w.action === 'sns:Publish');
    expect(publishEverywhere('default')).toEqual([]);
    expect(publishEverywhere('a channel chain')).toEqual([]);
    expect(publishEverywhere('sns sms')).toHaveLength(1);
  });
});

describe('KMS key policies', () => {
  it('a service principal is let in only for this account, and roles only through Secrets Manager', () => {
    const { template } = TEMPLATES.get('default')!;
    for (const [id, key] of Object.entries(template.findResources('AWS::KMS::Key'))) {
      for (const statement of key.Properties.KeyPolicy.Statement as Array<Record<string, any>>) {
        const principal = statement.Principal as Record<string, unknown>;
        if (principal.Service) expect([id, statement.Condition?.StringEquals?.['aws:SourceAccount']]).toEqual([id, { Ref: 'AWS::AccountId' }]);
        const roles = [principal.AWS ?? []].flat().filter((p) => !flat(p).endsWith(':root'));
        if (roles.length > 0) expect([id, Object.keys(statement.Condition?.StringEquals ?? {})]).toEqual([id, ['kms:ViaService']]);
      }
    }
  });
});


function statementsOf(stack: StreamSyncStack, template: Template, fn: StreamSyncFunction): Array<Record<string, any>> {
  const role = stack.getLogicalId(fn.executionRole.node.defaultChild as never);
  return Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } })).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const dynamoStatements = (statements: Array<Record<string, any>>) => statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));

describe('table grants, per function', () => {
  it('no function may Scan the table (nothing in the code scans)', () => {
    const { stack, template } = TEMPLATES.get('default')!;
    for (const [name, fn] of Object.entries(functionsOf(stack))) {
      expect([name, dynamoStatements(statementsOf(stack, template, fn)).flatMap((s) => [s.Action].flat()).filter((a) => a === 'dynamodb:Scan' || a === 'dynamodb:*')]).toEqual([name, []]);
    }
  });

  it("the webhook reads STORE# items only (GetItem, BatchGetItem) and writes its DELIVERY# markers only: no query, no index, no order", () => {
    const { stack, template } = TEMPLATES.get('default')!;
    const statements = dynamoStatements(statementsOf(stack, template, stack.ingest.handler));
    expect(statements.map((s) => ({ actions: [s.Action].flat().sort(), leadingKeys: s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'], resource: flat(s.Resource) }))).toEqual(
      expect.arrayContaining([
        { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], leadingKeys: ['STORE#*'], resource: expect.stringMatching(/^<DataTable[0-9A-F]{8}\.Arn>$/) },
        { actions: ['dynamodb:DeleteItem', 'dynamodb:UpdateItem'], leadingKeys: ['DELIVERY#*'], resource: expect.stringMatching(/^<DataTable[0-9A-F]{8}\.Arn>$/) },
      ]),
    );
    expect(statements).toHaveLength(2);
  });

  it('delivery and restock: item reads and writes on the table, Query alone on its indexes', () => {
    const { stack, template } = TEMPLATES.get('default')!;
    const f = functionsOf(stack);
    for (const fn of [f.delivery, f.restockStream, f.restockPoll, f.restockSweep]) {
      const table = dynamoStatements(statementsOf(stack, template, fn)).filter((s) => /^<DataTable[0-9A-F]{8}\.Arn>(\/index\/\*)?$/.test(flat(s.Resource)));
      expect(table.map((s) => [flat(s.Resource).endsWith('/index/*') ? 'indexes' : 'table', [s.Action].flat().sort()])).toEqual([
        ['table', ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']],
        ['indexes', ['dynamodb:Query']],
      ]);
    }
  });
});

describe('secrets never in plain environment variables', () => {
  const SECRETISH = /SECRET|PASSWORD|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEYS?($|_)/;
  // Names, prefixes, ARNs and key versions: where to find a secret, never its value.
  const POINTER = /(_NAME|_PREFIX|_ARN|_URL|_VERSION)$/;

  it.each(VARIANTS.map(([name]) => name))('%s: every secret-like variable of every function only says where the secret is', (name) => {
    const { template } = TEMPLATES.get(name)!;
    for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
      const env = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      expect([id, Object.keys(env).filter((key) => key === 'LOCAL_SECRETS_JSON')]).toEqual([id, []]);
      for (const [key, value] of Object.entries(env).filter(([key]) => SECRETISH.test(key) && !POINTER.test(key))) {
        // CODE_KEYS: `<version>=<KMS key ARN>`, the ARN a reference to the stack's key.
        expect([id, key, flat(value)]).toEqual([id, 'CODE_KEYS', expect.stringMatching(/^([A-Za-z0-9_-]+=<DataCodeKeyV[0-9A-Za-z]+\.Arn>,?)+$/)]);
      }
    }
  });
});
