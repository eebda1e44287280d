// Prompt assembly of the codegen engine: system prompts per request type, budgeted context, repair and test prompts.
export { assemblePrompt, PART_CAPS } from './assemble';
export { repairPrompt, type RepairOptions } from './repair';
export { testWritingPrompt, importSpecifier, type TestWritingOptions } from './test-writing';
export { detectConventions, renderConventions } from './conventions';
export { readRuleFiles, renderRuleFiles, UNTRUSTED_OPEN, UNTRUSTED_CLOSE } from './rules';
export { answerShape, systemPrompt, testRunnerFor, type AnswerShape } from './instructions';
export { TEMPLATE_TOKENS_PER_MESSAGE, TEMPLATE_TOKENS_ANSWER_HEADER } from './budget';
export * from './types';
