import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../services.js';
import { UPLOAD_PATH } from '../user-import/jobs.js';
import { acceptUpload, MAX_CSV_BYTES, s3Error, type UploadAnswer } from '../user-import/upload.js';

function send(reply: FastifyReply, answer: UploadAnswer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

/**
 * `PUT /_cognate/user-import/<poolId>/<jobId>?token=…`: the PreSignedUrl of CreateUserImportJob
 * (`curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$PRE_SIGNED_URL"`). Its own scope
 * takes any body as bytes up to {@link MAX_CSV_BYTES} and answers every error in S3's XML.
 */
export function registerUserImportUpload(app: FastifyInstance, services: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: { statusCode?: number }, request, reply) => {
      if (error.statusCode === 413) {
        return send(reply, s3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', request.id));
      }
      services.logger.error({ err: error, requestId: request.id }, 'user import upload failed');
      return send(reply, s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.', request.id));
    });
    scope.put<{ Params: { poolId: string; jobId: string }; Querystring: { token?: string } }>(
      `${UPLOAD_PATH}/:poolId/:jobId`,
      { bodyLimit: MAX_CSV_BYTES },
      async (request, reply) => {
        const encryption = request.headers['x-amz-server-side-encryption'];
        const answer = await acceptUpload(services, {
          poolId: request.params.poolId,
          jobId: request.params.jobId,
          token: typeof request.query.token === 'string' ? request.query.token : undefined,
          encryption: typeof encryption === 'string' ? encryption : undefined,
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          requestId: request.id,
        });
        return send(reply, answer);
      },
    );
  });
}
