// The shape of a capability's "no": adapters branch on `code` and `field`, never on the words,
// so rewording a sentence cannot change what a platform does with it.

/** A request that was not carried out: why (`code`), which input it is about (`field`), and what to tell the person. */
export interface Refusal<Code extends string = string, Field extends string = never> {
  ok: false;
  code: Code;
  field?: Field;
  message: string;
}

/** A permission check that said no, as a refusal. */
export function notAllowed(permission: { message: string }): Refusal<'notAllowed'> {
  return { ok: false, code: 'notAllowed', message: permission.message };
}
