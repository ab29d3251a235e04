/** What a log line records of a thrown value: the stack when there is one, so the line says where it came from. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}
