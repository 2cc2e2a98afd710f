// cdk-nag 3 acknowledgements: turns an IAM action/resource into the exact finding id cdk-nag reports,
// so every acknowledgement is precise (one finding, one reason) instead of a blanket rule suppression.
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Records that `rule` is accepted on `scope` and everything below it, with the reason a reviewer reads. */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: rule, reason });
}

/** The AwsSolutions-IAM5 finding id for a wildcard action such as `kms:GenerateDataKey*`. */
export function wildcardAction(action: string): string {
  return `AwsSolutions-IAM5[Action::${action}]`;
}

/**
 * The AwsSolutions-IAM5 finding id for a wildcard resource. `arn` may hold tokens; it is resolved and
 * flattened the way cdk-nag does it (`<Logical.Arn>/index/*`, `arn:<AWS::Partition>:…`).
 */
export function wildcardResource(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
}

// Mirrors cdk-nag's flattenCfnReference: Fn::Join / Fn::Sub / Fn::GetAtt / Ref to a flat string.
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const obj = node as Record<string, unknown>;
  if (obj['Fn::Join']) {
    const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (obj['Fn::Sub']) return flatten(obj['Fn::Sub']);
  if (obj['Fn::GetAtt']) {
    const [resource, attribute] = obj['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (obj['Fn::ImportValue']) return flatten(obj['Fn::ImportValue']);
  if (obj.Ref) return `<${flatten(obj.Ref)}>`;
  return JSON.stringify(node);
}
