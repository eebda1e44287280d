// Public surface of the static checks and security scan of generated code (issue 11, items 4 and 9).
export { checkPython, RUFF_RULES, type PythonCheckOptions } from './python';
export { checkTypeScript, type TypeScriptCheckOptions } from './typescript';
export { scanSecurity, type ScanOptions } from './security';
export { BANDIT_CONFIG } from './bandit';
export { defaultPythonToolsDir, locatePythonTools, PYTHON_TOOLS_SETUP_COMMAND, type PythonTools } from './python-tools';
export type { CheckResult, CodeFile, Finding } from '../../../../common/codegen/types';
