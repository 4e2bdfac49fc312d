/** Contract slice: the desk itself, settings, operators and the audit log. */
import { z } from 'zod';
import { method } from './define';
import { publicSettingsSchema, settingsPatchSchema } from '../settings-schema';

const empty = z.object({}).strict();

export const operatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['technician', 'admin']),
  hasPin: z.boolean(),
});
export type Operator = z.output<typeof operatorSchema>;

export const auditRecordSchema = z.object({
  seq: z.number().int(),
  at: z.number().int(),
  operatorId: z.string().nullable(),
  deskId: z.string(),
  action: z.string(),
  outcome: z.enum(['ok', 'error']),
  patientID: z.string().nullable(),
  studyInstanceUID: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.output<typeof auditRecordSchema>;

export const foundationMethods = {
  'app.info': method({
    input: empty,
    output: z.object({ name: z.string(), version: z.string(), deskId: z.string(), dataDir: z.string(), mode: z.enum(['electron', 'browser', 'test']) }),
    public: true,
  }),
  'settings.get': method({ input: empty, output: publicSettingsSchema }),
  'settings.update': method({ input: settingsPatchSchema, output: publicSettingsSchema, audit: 'admin' }),
  'operators.list': method({ input: empty, output: z.object({ items: z.array(operatorSchema) }), public: true }),
  'operators.create': method({
    input: z.strictObject({
      name: z.string().trim().min(1).max(80),
      role: z.enum(['technician', 'admin']).default('technician'),
      pin: z.string().regex(/^\d{4,8}$/, 'PIN: 4–8 digits').optional(),
    }),
    output: operatorSchema,
    audit: 'admin',
    adminOnly: true,
  }),
  'operators.signIn': method({
    input: z.strictObject({ operatorId: z.string().min(1), pin: z.string().optional() }),
    output: z.object({ operator: operatorSchema, session: z.string() }),
    audit: 'admin',
    public: true,
  }),
  'audit.list': method({
    input: z.strictObject({
      limit: z.number().int().min(1).max(1000).default(200),
      beforeSeq: z.number().int().optional(),
      action: z.string().optional(),
    }),
    output: z.object({ items: z.array(auditRecordSchema) }),
  }),
  'audit.verify': method({
    input: empty,
    output: z.object({ ok: z.boolean(), checked: z.number().int(), firstBrokenSeq: z.number().int().nullable() }),
  }),
} as const;

export const foundationEvents = {
  'settings.changed': publicSettingsSchema,
} as const;
