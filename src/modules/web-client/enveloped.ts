/**
 * Marks a handler that answers HTTP 200 with `{code, msg, data}`, errors included: the
 * project's route suites read its outcome from the envelope's code.
 */
export const ANSWERS_IN_ENVELOPE = 'msproject:answers-in-envelope';
