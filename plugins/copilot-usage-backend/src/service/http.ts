/* Express pieces the routes share: documents as JSON or CSV, audited routes. */
import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request, Response } from 'express';
import { CsvDocument, documentFileName } from './csv';

/** The document as JSON, or as a CSV download with `format=csv`. */
export function sendDocument<T extends CsvDocument>(
  res: Response,
  format: 'json' | 'csv' | undefined,
  document: T,
  toCsv: (document: T) => string,
): void {
  if (format !== 'csv') {
    res.json(document);
    return;
  }
  res.attachment(documentFileName(document));
  res.type('text/csv; charset=utf-8');
  res.send(toCsv(document));
}

/**
 * Makes `withAudit(eventId, severity, handler)`: a route whose outcome the
 * auditor records once the caller is known, success with what the handler
 * returns as `meta`, or failure with the error (which still answers the request).
 */
export function auditedRoutes(
  auditor: AuditorService | undefined,
  credentialsOf: (req: Request) => Promise<BackstageCredentials>,
) {
  return (
      eventId: string,
      severityLevel: 'medium' | 'high',
      handler: (
        req: Request,
        res: Response,
        credentials: BackstageCredentials,
      ) => Promise<JsonObject | void>,
    ) =>
    async (req: Request, res: Response) => {
      const credentials = await credentialsOf(req);
      const event = await auditor?.createEvent({
        eventId,
        severityLevel,
        request: req,
      });
      try {
        const meta = await handler(req, res, credentials);
        await event?.success(meta ? { meta } : undefined);
      } catch (error) {
        await event?.fail({ error: error as Error });
        throw error;
      }
    };
}
