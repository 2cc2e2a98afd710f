// Parser for the Powertools BatchProcessor: an SQS record's JSON body checked against a zod/mini schema.
// It takes the place of `@aws-lambda-powertools/batch/parser`, whose envelope schemas are built with the
// classic zod API and so bring all of zod (~440 KB minified, with every locale) into each bundle.
// Same contract: a body that is not JSON or does not match fails its record with a ParsingError
// (→ SQS retries → DLQ), and the handler receives the record with `body` replaced by the parsed value.
import { ParsingError } from '@aws-lambda-powertools/batch';
import type { parser } from '@aws-lambda-powertools/batch/parser';
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { issuePaths } from '#adapters/platforms/shared/issues';

/** Use as `new BatchProcessor(EventType.SQS, { parser: sqsJsonParser, innerSchema, transformer: 'json', logger })`. */
export const sqsJsonParser: typeof parser = async (record, eventType, logger, parserConfig) => {
  const { innerSchema, transformer } = parserConfig;
  if (eventType !== 'SQS' || transformer !== 'json' || !innerSchema) {
    logger.error('sqsJsonParser handles SQS records with innerSchema and the json transformer only');
    throw new ParsingError('Unsupported parser configuration');
  }
  const sqsRecord = record as SQSRecord;
  let body: unknown;
  try {
    body = JSON.parse(sqsRecord.body);
  } catch {
    logger.debug('Failed to parse record: body: Invalid JSON');
    throw new ParsingError('body: Invalid JSON');
  }
  const result = z.safeParse(innerSchema as unknown as z.ZodMiniType, body);
  if (!result.success) {
    // Paths and expectations only: a record body never reaches the logs through this error.
    const errorMessage = issuePaths(result.error, ['body']).join('; ');
    logger.debug(`Failed to parse record: ${errorMessage}`);
    throw new ParsingError(errorMessage);
  }
  return { ...sqsRecord, body: result.data } as unknown as SQSRecord;
};
