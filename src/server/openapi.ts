/**
 * The OpenAPI 3.1 document, generated from the kind registry (TypeBox schemas are JSON Schema),
 * so it cannot drift from what the server validates.
 */
import { API_VERSION, KINDS, ObjectMetaSchema } from '../api/index.js';
import { API_PREFIX } from './routes/resources.js';

type Json = Record<string, unknown>;

const statusRef = { $ref: '#/components/schemas/Status' };
const errors = (...codes: number[]): Json =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'Status', content: { 'application/json': { schema: statusRef } } }]));

export function buildOpenApi(version: string): Json {
  const schemas: Json = {
    ObjectMeta: ObjectMetaSchema,
    Status: {
      type: 'object',
      required: ['kind', 'code', 'reason', 'message'],
      properties: { kind: { const: 'Status' }, apiVersion: { type: 'string' }, status: { type: 'string' }, code: { type: 'integer' }, reason: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
    },
  };
  const paths: Json = {};
  for (const def of KINDS) {
    const ref = { $ref: `#/components/schemas/${def.kind}` };
    schemas[def.kind] = {
      type: 'object',
      required: ['apiVersion', 'kind', 'metadata', ...(def.specRequired ? ['spec'] : [])],
      properties: { apiVersion: { const: API_VERSION }, kind: { const: def.kind }, metadata: { $ref: '#/components/schemas/ObjectMeta' }, spec: def.specSchema, status: { type: 'object' } },
    };
    const body = { required: true, content: { 'application/json': { schema: ref }, 'application/yaml': { schema: ref } } };
    const one = { '200': { description: def.kind, content: { 'application/json': { schema: ref } } } };
    paths[`${API_PREFIX}/${def.plural}`] = {
      get: {
        operationId: `list${def.kind}`,
        parameters: ['labelSelector', 'limit', 'continue', 'watch', 'resourceVersion'].map((n) => ({ name: n, in: 'query', required: false, schema: { type: 'string' } })),
        responses: { '200': { description: `${def.kind}List`, content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: ref } } } } } }, ...errors(400, 401, 403, 410) },
      },
      ...(def.userCreatable ? { post: { operationId: `create${def.kind}`, requestBody: body, responses: { '201': one['200'], ...errors(400, 401, 403, 409, 413, 422) } } } : {}),
    };
    const name = [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }];
    paths[`${API_PREFIX}/${def.plural}/{name}`] = {
      get: { operationId: `read${def.kind}`, parameters: name, responses: { ...one, ...errors(401, 403, 404) } },
      put: { operationId: `replace${def.kind}`, parameters: name, requestBody: body, responses: { ...one, ...errors(400, 401, 403, 404, 409, 413, 422) } },
      delete: { operationId: `delete${def.kind}`, parameters: name, responses: { ...one, ...errors(401, 403, 404, 409) } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Bulkhead API', version },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
