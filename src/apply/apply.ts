import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { adminCaller } from '../api/admin-call.js';
import { cognitoIdentity, cognitoIdp, type AwsService } from '../api/aws-services.js';
import { newClientSecretRecord } from '../api/ops/clients/client-shape.js';
import type { Services } from '../services.js';
import { issuerFor } from '../tokens/issuer.js';
import { userPoolProviderName } from '../domain/identity-pools.js';
import { DocumentError, parseApplyDocument, readApplyDocument, type ApplyDocument } from './document.js';
import {
  Deferred,
  isTemplate,
  parseTemplateText,
  translateTemplate,
  type AttributeReader,
  type TemplateResource,
} from './cloudformation.js';
import { planDocument, type Call, type Output, type PinClientId, type Plan, type Step } from './plan.js';

/** The admin `cognate apply` acts as: its changes are audited under this access key ID. */
const APPLY_CALLER = 'cognate-apply';

export interface ApplyOptions {
  dryRun: boolean;
  prune: boolean;
  /** A CloudFormation template's resources and intrinsics Cognate does not apply are skipped, not refused. */
  partial?: boolean;
  /** Receives each line of the plan, of the progress and of the outputs. */
  print: (line: string) => void;
}

/** A step failed; the apply was rolled back whole, and the message names the step. */
export class ApplyFailed extends Error {}

/** Runs a service's operations (cognito-idp's, or cognito-identity's for identity pools) in process as the apply admin. */
function operationCaller(services: Services, service: AwsService): Call {
  return adminCaller(services, APPLY_CALLER, '127.0.0.1', service);
}

/**
 * Moves a just-created client to the ID the document fixes. Cognito always generates client IDs;
 * the record is otherwise the one CreateUserPoolClient stored, so its rules held.
 */
function clientIdPinner(services: Services): PinClientId {
  return async (poolId, generatedId, fixedId) => {
    const client = await services.store.clients.get(poolId, generatedId);
    if (!client) throw new Error(`client ${generatedId} vanished before its ID was fixed`);
    const secrets = client.secrets.map((s) => newClientSecretRecord(fixedId, s.secret, s.createdAt));
    await services.store.clients.delete(poolId, generatedId);
    await services.store.clients.create({ ...client, clientId: fixedId, secrets });
  };
}

function describeStep(step: Step): string {
  const changed = step.changed ? ` (${step.changed.join(', ')})` : '';
  return `${step.action.padEnd(9)} ${step.kind.padEnd(14)} ${step.name}${changed}`;
}

/**
 * Applies an apply document: reads and checks it whole, plans it against the database, prints the
 * plan, then (unless a dry run) runs each step's operations in order and prints the ids a stack
 * would output. Nothing changes if the document or the plan has a problem, and the plan and its
 * steps run in one database transaction (Services.inTransaction), so a step that fails leaves
 * nothing of the apply behind. On SQLite the transaction holds the database's write lock while it
 * runs: a server on the same file waits for it (up to `databaseBusyTimeout`) to write.
 */
export async function applyDocument(services: Services, text: string, fileName: string, options: ApplyOptions): Promise<Plan> {
  return applyParsed(services, parseApplyDocument(text, fileName), options);
}

/** Plans a checked document, prints the plan and, unless a dry run, applies it, all or nothing. */
async function applyParsed(services: Services, document: ApplyDocument, options: ApplyOptions): Promise<Plan> {
  const plan = await services.inTransaction(async (inTransaction) => {
    const planned = await planDocument(document, {
      call: operationCaller(inTransaction, cognitoIdp),
      callIdentity: operationCaller(inTransaction, cognitoIdentity),
      pinClientId: clientIdPinner(inTransaction),
      prune: options.prune,
    });
    for (const step of planned.steps) options.print(describeStep(step));
    const count = (action: Step['action']): number => planned.steps.filter((s) => s.action === action).length;
    options.print(
      `plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged`,
    );
    if (options.dryRun) return planned;
    for (const step of planned.steps.filter((s) => s.run)) {
      try {
        await step.run!();
      } catch (error) {
        const type = (error as { type?: string }).type;
        throw new ApplyFailed(
          `${step.action} ${step.kind} ${step.name} failed: ${type ? `${type}: ` : ''}${(error as Error).message}\n` +
            'Nothing was applied: the whole apply is one transaction. Fix the cause and apply again.',
          { cause: error },
        );
      }
    }
    return planned;
  });
  if (options.dryRun) {
    options.print('dry run: nothing changed');
    return plan;
  }
  options.print('outputs:');
  for (const output of plan.outputs) options.print(`  ${output.name} ${output.member} ${output.value()}`);
  return plan;
}

/** Applies a file: an apply document, or a CloudFormation template (told apart by its Resources). */
export async function applyFile(services: Services, file: string, options: ApplyOptions): Promise<Plan> {
  const text = readFileSync(file, 'utf8');
  const template = parseTemplateText(text);
  if (isTemplate(template.root)) return applyTemplate(services, template, file, options);
  return applyDocument(services, text, file, options);
}

/**
 * Applies a CloudFormation template's Cognito resources as the apply document they translate to,
 * then prints the template's Outputs as a stack would. Unsupported resources and intrinsics are
 * refused, naming each, unless the apply is partial; then they are listed as skipped.
 */
async function applyTemplate(
  services: Services,
  template: ReturnType<typeof parseTemplateText>,
  file: string,
  options: ApplyOptions,
): Promise<Plan> {
  const { region, accountId } = services.config;
  const stackName = basename(file).replace(/\.(template\.)?(json|ya?ml)$/, '');
  const translation = translateTemplate(template.root as Record<string, unknown>, file, template, { region, accountId, stackName });
  const problems = [...translation.problems];
  if (options.partial) for (const skipped of translation.unsupported) options.print(`skipped  ${skipped}`);
  else problems.push(...translation.unsupported.map((u) => `${u} (apply with --partial to apply the rest)`));
  const document = readApplyDocument(translation.document, (path, message) => problems.push(translation.reportAt(path, message)));
  if (problems.length > 0) throw new DocumentError(problems);
  const plan = await applyParsed(services, document, options);
  if (options.dryRun || translation.outputs.length === 0) return plan;
  const read = stackAttributeReader(services, translation.resources, plan);
  options.print('stack outputs:');
  for (const output of translation.outputs) {
    const value = output.value instanceof Deferred ? await output.value.evaluate(read) : output.value;
    options.print(`  ${output.name} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return plan;
}

/** Reads what `Ref` and `Fn::GetAtt` answer for a template's pools and clients once they are applied. */
function stackAttributeReader(services: Services, resources: ReadonlyMap<string, TemplateResource>, plan: Plan): AttributeReader {
  const { region, accountId } = services.config;
  const outputOf = (name: string, member: Output['member']): string =>
    plan.outputs.find((o) => o.name === name && o.member === member)?.value() ?? '';
  return async (logicalId, attribute) => {
    const resource = resources.get(logicalId);
    if (resource?.type === 'AWS::Cognito::UserPool') {
      const id = outputOf(resource.name, 'UserPoolId');
      switch (attribute) {
        case undefined:
        case 'UserPoolId':
          return id;
        case 'Arn':
          return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${id}`;
        case 'ProviderName':
          return userPoolProviderName(id);
        case 'ProviderURL':
          // The issuer Cognate signs with, which is what an app verifies tokens against.
          return issuerFor(services, { id, region });
      }
    }
    if (resource?.type === 'AWS::Cognito::UserPoolClient') {
      const pool = resources.get(resource.poolLogicalId!)!;
      const clientId = outputOf(`${pool.name}/${resource.name}`, 'ClientId');
      if (attribute === undefined || attribute === 'ClientId') return clientId;
      if (attribute === 'Name') return resource.name;
      if (attribute === 'ClientSecret') {
        const described = await operationCaller(services, cognitoIdp)('DescribeUserPoolClient', {
          UserPoolId: outputOf(pool.name, 'UserPoolId'),
          ClientId: clientId,
        });
        return String((described['UserPoolClient'] as Record<string, unknown>)['ClientSecret'] ?? '');
      }
    }
    if (resource?.type === 'AWS::Cognito::IdentityPool') {
      if (attribute === undefined || attribute === 'Id') return outputOf(resource.name, 'IdentityPoolId');
      if (attribute === 'Name') return resource.name;
    }
    if (resource !== undefined && attribute === undefined) return resource.name;
    return `(${logicalId}${attribute === undefined ? '' : `.${attribute}`} is not an attribute Cognate gives)`;
  };
}
