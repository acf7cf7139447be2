import { z } from "zod";

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "VALIDATION_FAILED" }),
      message: z.string().meta({ example: "name: Too big: expected string to have <=80 characters" }),
      requestId: z.string().meta({ example: "req_01jf3z0d6y8k2m4n5p7q9r1s3t" }),
    }),
  })
  .meta({ id: "Error" });

export const idParam = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `must be an id like ${prefix}_…`)
    .meta({ example: `${prefix}_01jf3z0d6y8k2m4n5p7q9r1s3t` });
