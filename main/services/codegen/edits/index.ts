// Edit formats of the codegen engine: code extraction, signatures, SEARCH/REPLACE blocks, whole files, diffs, hunks.
export { extractCode, dedent, type ExtractedCode } from './extract-code';
export { keepSignature, type SignatureCheck } from './signature';
export { addMissingExports, type AddedExports } from './add-exports';
export { addMissingTestImports, type AddedTestImports } from './add-test-imports';
export { parseEditBlocks, stripFilename, type EditBlock, type ParseEditBlocksOptions } from './parse-edit-blocks';
export {
  applyEditBlocks,
  resolveBlockPath,
  type AppliedBlock,
  type EditBlocksResult,
  type FailedBlock,
  type FileMap,
} from './apply-edit-blocks';
export {
  applyWholeFiles,
  parseWholeFiles,
  chooseEditFormat,
  WHOLE_FILE_MAX_CHARS,
  type WholeFile,
  type WholeFilesResult,
} from './whole-file';
export { diffFile, diffFiles, DIFF_CONTEXT_LINES } from './diff-files';
export { applyHunks } from './apply-hunks';
export { decodeUtf8, fromModelText, sha256Hex, splitLines, toModelText } from './text';
