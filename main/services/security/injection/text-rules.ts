// The text rules: instruction-like content aimed at an AI, one pattern per rule with its family, weight and reason.
// Weights add up per item (each rule counts once); 1.0 flags it. A rule strong enough alone weighs 1.0; signals that
// are common in honest text (a "system:" label, "you must", "| sh") weigh less and flag only together.
import type { InjectionFamily } from '../../../../common/security/injection';

export interface TextRule {
  id: string;
  family: InjectionFamily;
  weight: number;
  reason: string;
  pattern: RegExp;
  /** Quoted matches ("…ignore previous instructions…" in a security doc) read as a mention, not a command. */
  quotable?: boolean;
  /** A line that is template code ({{ }}, {% %}) is a chat template, not an attack (tokenizer configs). */
  templateExempt?: boolean;
}

const MOD =
  "(?:all|any|every|of|the|your|my|our|these|those|its|previous|prior|earlier|above|preceding|former|original|initial|system|developer(?:['’]s)?|user(?:['’]s)?|request|and|other|existing|current|old|safety)";
/** A modifier that makes "ignore … rules/prompt" about the model's own instructions rather than a lint or CLI setting. */
const OWNER = "(?:your|my|previous|prior|earlier|above|preceding|former|original|initial|system|developer['’]s|user['’]s)";
const AI =
  '(?:ai|llm|large\\s+language\\s+model|language\\s+model|ai\\s+(?:coding\\s+)?(?:assistant|model|agent|tool)s?|chatbot|copilot|assistant|agent)';

/**
 * No u flag: V8 scans these patterns 10-30x faster without it (measured on the index bench's tree). Every pattern is
 * BMP-only, and \\b is ASCII-only without u, so a non-Latin alternative must never follow a \\b.
 */
const r = (src: string, flags = 'gi'): RegExp => new RegExp(src, flags);

export const TEXT_RULES: readonly TextRule[] = [
  // --- override: telling the model to drop what it was told ---
  {
    id: 'override-instructions',
    family: 'override',
    weight: 1,
    reason: 'tells the model to ignore or replace its instructions',
    // "instructions" with any lead-in; softer nouns ("ignore directives", "ignore prompts" in CLI and lint docs) only
    // with a possessive or temporal modifier ("your", "previous", "the developer's").
    pattern: r(
      `\\b(?:ignore|disregard|forget|override|bypass|neglect)\\b(?:(?:\\s+${MOD}){0,6}\\s+instructions?|(?:\\s+${MOD}){0,5}\\s+${OWNER}(?:\\s+${MOD}){0,2}\\s+(?:prompts?|guidance|guidelines|directions|directives|rules|system\\s+message))\\b`,
    ),
    quotable: true,
  },
  {
    id: 'override-previous-context',
    family: 'override',
    weight: 1,
    reason: 'tells the model to ignore everything before this text',
    pattern: r(
      `\\b(?:ignore|disregard|forget)\\s+(?:all\\s+|everything\\s+)?(?:the\\s+)?(?:above|everything\\s+(?:above|before|you\\s+(?:were|have\\s+been)\\s+told)|(?:previous|prior|earlier|preceding)\\s+(?:rules|context|messages|text|content|conversation))\\b`,
    ),
    quotable: true,
  },
  {
    id: 'override-ignore-user',
    family: 'override',
    weight: 1,
    reason: "tells the model to ignore the user's request",
    pattern: r('\\bignore\\s+the\\s+user\\b(?![-\\s]?(?:agent|name|id|settings|config))'),
    quotable: true,
  },
  {
    id: 'override-new-task',
    family: 'override',
    weight: 1,
    reason: 'gives the model a new task or declares its instructions void',
    pattern: r(
      '\\b(?:you\\s+are\\s+no\\s+longer\\s+(?:bound|restricted|limited)|your\\s+(?:new|real|actual|true)\\s+(?:task|instructions?|goal|purpose|job|role|objective)s?\\s+(?:is|are)|new\\s+(?:instructions|policy|rules|system\\s+prompt)\\s*(?::|for\\s+(?:the\\s+)?(?:ai|assistant|model|you)|from\\s+your)|(?:instructions|system\\s+prompt|prompt)\\s+(?:is|are|has\\s+been|have\\s+been)\\s+(?:revoked|void|cancell?ed|overridden|no\\s+longer\\s+valid|suspended)|(?:only\\s+)?follow\\s+only\\s+(?:the\\s+)?instructions\\s+(?:in|from)\\s+this)\\b',
    ),
    quotable: true,
  },
  {
    id: 'override-from-now-on',
    family: 'override',
    weight: 0.5,
    reason: '"from now on" addressed to the model',
    pattern: r('\\bfrom\\s+now\\s+on,?\\s+(?:you|your|answer|respond|reply|only|always|never)\\b'),
  },
  // --- the same override in other languages ---
  {
    id: 'override-multilingual',
    family: 'multilingual',
    weight: 1,
    reason: 'tells the model to ignore its previous instructions (non-English)',
    pattern: r(
      [
        'ignorier(?:e|en)?\\s+(?:alle\\s+)?(?:vorherigen|bisherigen|obigen|vorangegangenen)\\s+(?:anweisungen|instruktionen|befehle)',
        'vergiss\\s+(?:alle\\s+)?(?:vorherigen\\s+)?anweisungen',
        'ignor(?:a|e)\\s+(?:todas\\s+)?(?:las|as)\\s+(?:instrucciones|instruções|indicaciones)\\s+(?:anteriores|previas)',
        'ignor(?:e|ez|er)\\s+(?:toutes\\s+)?les\\s+(?:instructions|consignes)\\s+(?:précédentes|antérieures|ci-dessus)',
        'ignora\\s+(?:tutte\\s+)?le\\s+istruzioni\\s+precedenti',
        '(?:игнорируй|игнорируйте|забудь|забудьте)\\s+(?:все\\s+)?(?:предыдущие|прежние|прошлые)?\\s*(?:инструкции|указания|команды)',
        '(?:忽略|无视|忘记|忽视)(?:之前|以上|先前|前面|上面|所有)(?:的)?(?:所有|全部)?(?:的)?(?:指令|指示|说明|规则|提示)',
        '(?:以前|前|上記|これまで)の(?:指示|命令|指令)を(?:すべて|全て)?無視',
        '이전\\s*(?:의\\s*)?(?:모든\\s*)?(?:지시|명령|지침)(?:를|을|사항을)?\\s*(?:모두\\s*)?무시',
      ].join('|'),
    ),
  },
  // --- role tags: text posing as a turn of the conversation ---
  {
    id: 'role-tag-template-token',
    family: 'role-tag',
    weight: 1,
    reason: 'contains chat-template control tokens (a fake conversation turn)',
    pattern: r(
      '<\\|(?:im_start|im_end|im_sep|system|user|assistant|start_header_id|end_header_id|eot_id|begin_of_text|endoftext)\\|>|\\[\\/?INST\\]|<<\\/?SYS>>|<\\/?(?:start_of_turn|end_of_turn)>',
    ),
    templateExempt: true,
    quotable: true,
  },
  {
    id: 'role-tag-xml',
    family: 'role-tag',
    weight: 0.6,
    reason: 'an XML-style system/instructions tag',
    pattern: r('<\\/?(?:system|system_prompt|system-prompt|sys|instructions)>'),
    templateExempt: true,
  },
  {
    id: 'role-label',
    family: 'role-tag',
    weight: 0.5,
    reason: 'a line labelled as a system or assistant turn',
    pattern: r('^[ \\t>#*\\-]*(?:system|assistant)\\s*:(?=\\s*\\S)', 'gim'),
  },
  // --- text addressed to the AI rather than to a human reader ---
  {
    id: 'addressed-to-ai',
    family: 'addressed',
    weight: 0.6,
    reason: 'speaks to the AI that will read it',
    pattern: r(
      `\\b(?:(?:note|notes|message|instructions?|hinweis)\\s+(?:to|for|an)\\s+(?:the\\s+|den\\s+|any\\s+)?${AI}|if\\s+you\\s+are\\s+(?:an?|the)\\s+${AI}|${AI}s?\\s+(?:reading|summari[sz]ing|analy[sz]ing|processing|parsing|indexing)\\s+this|\\(\\s*the\\s+(?:ai|llm|assistant|model)\\s*\\)|(?:ai|llm|ai\\s+(?:model|assistant|agent)|ki-assistent\\w*|asistente|assistant)\\s*(?::(?!\\s*(?:none|null|true|false|\\d))|,))`,
    ),
  },
  {
    id: 'imperative-must',
    family: 'imperative',
    weight: 0.4,
    reason: 'an imperative aimed at the reader ("you must", "immediately", "before answering")',
    pattern: r(
      '\\byou\\s+must\\b|\\b(?:immediately|right\\s+now|before\\s+(?:answering|continuing|responding|replying))\\b|\\bmust\\s+(?:now\\s+)?(?:render|run|execute|tell|say|include|reply|respond|answer|call)\\b',
    ),
  },
  {
    id: 'tell-the-user',
    family: 'imperative',
    weight: 0.5,
    reason: 'tells the model what to tell the user',
    pattern: r(
      '\\b(?:tell|inform|assure|convince|say\\s+to)\\s+(?:the\\s+)?(?:user|operator|developer|them)\\b|\\b(?:report|say|reply|respond|answer)\\s+(?:only\\s+)?(?:that|with)\\s+(?:the\\s+)?(?:job|build|tests?|code|package|it)\\b',
    ),
  },
  // --- secrecy: keep the user from knowing ---
  {
    id: 'secrecy-dont-tell',
    family: 'secrecy',
    weight: 0.6,
    reason: 'asks to hide something from the user',
    pattern: r(
      "\\b(?:do\\s+not|don['’]t|never|without)\\s+(?:tell(?:ing)?|mention(?:ing)?|reveal(?:ing)?|inform(?:ing)?|notify(?:ing)?|alert(?:ing)?|ask(?:ing)?)\\b|不要告诉用户|不要让用户知道|ユーザーに(?:は)?(?:何も)?(?:言わ|伝え|知らせ)ない|(?:sag|sage)\\s+(?:es\\s+)?dem\\s+(?:nutzer|benutzer)\\s+nicht|no\\s+(?:se\\s+lo\\s+|le\\s+)?digas\\s+al\\s+usuario|ne\\s+(?:le\\s+)?dis\\s+pas\\s+à\\s+l['’]utilisateur|не\\s+говори\\s+пользователю",
    ),
  },
  {
    id: 'secrecy-silently',
    family: 'secrecy',
    weight: 0.6,
    reason: 'asks for a change made silently',
    pattern: r(
      '\\b(?:silently|quietly|secretly|covertly|discreetly)\\s+(?:add|append|insert|send|include|change|modify|remove|delete|run|install|replace)\\b',
    ),
  },
  // --- persona / jailbreak ---
  {
    id: 'persona-unrestricted',
    family: 'persona',
    weight: 0.6,
    reason: 'tries to give the model a new, unrestricted persona or permission',
    pattern: r(
      '\\b(?:developer|god|jailbreak|dan)\\s+mode\\b|\\bno\\s+restrictions\\b|\\bunrestricted\\s+(?:model|ai|assistant|mode)\\b|\\bwithout\\s+(?:any\\s+)?(?:restrictions|limitations|filters|guardrails)\\b|\\byou\\s+are\\s+(?:now\\s+)?(?:allowed|permitted|authori[sz]ed)\\s+to\\b|\\byou\\s+are\\s+now\\s+(?:in|an?)\\b',
    ),
  },
  {
    id: 'reveal-prompt',
    family: 'reveal-prompt',
    weight: 1,
    reason: 'asks the model to reveal its system prompt or hidden instructions',
    pattern: r(
      '\\b(?:reveal|print|show|repeat|output|display|leak|dump)\\s+(?:me\\s+)?(?:your|the)\\s+(?:(?:full|entire|hidden|secret|original|initial)\\s+)?(?:system\\s+prompt|hidden\\s+instructions|instructions\\s+you\\s+(?:were|have\\s+been)\\s+given|initial\\s+prompt|system\\s+message)\\b',
    ),
    quotable: true,
  },
  // --- tool calls planted in data ---
  {
    id: 'tool-call-markup',
    family: 'tool-call',
    weight: 1,
    reason: 'contains tool-call markup (a planted call for the model to make)',
    pattern: r('<\\/?(?:tool_call|function_call|tool_use|function_calls)\\b|"(?:tool_calls?|function_call|tool_use)"\\s*:'),
    templateExempt: true,
  },
  {
    id: 'tool-call-dangerous-name',
    family: 'tool-call',
    weight: 1,
    reason: 'a call to a shell, write or delete tool in the data',
    pattern: r(
      '"name"\\s*:\\s*"(?:run_shell|shell|bash|sh|exec|execute\\w*|run_command|run_terminal_cmd|terminal|write_file|delete_file|remove_file|rm)"',
    ),
  },
  {
    id: 'tool-call-prose',
    family: 'tool-call',
    weight: 0.5,
    reason: 'asks the reader to execute a command or tool call',
    pattern: r(
      '\\b(?:execute|run|call|invoke)\\s+(?:the\\s+)?(?:tool\\s+call|function\\s+call|following\\s+(?:tool|command|function|script))',
    ),
  },
  // --- dangerous actions named in prose ---
  {
    id: 'dangerous-command',
    family: 'dangerous-command',
    weight: 0.5,
    reason: 'names a destructive or code-running action',
    pattern: r(
      '\\brm\\s+-(?:rf|fr|r)\\b|\\bchmod\\s+(?:-R\\s+)?777\\b|\\|\\s*(?:sudo\\s+)?(?:ba|z)?sh\\b|\\bnpm\\s+publish\\b|\\bgit\\s+push\\s+(?:-f|--force)\\b|\\bauthorized_keys\\b|\\bprocess\\.exit\\b|\\bpostinstall\\b|\\bbackdoor\\b|\\b(?:delete|remove|wipe|lösche|supprime|elimina)\\s+(?:the\\s+|das\\s+|le\\s+)?(?:checkpoints?|director(?:y|ies)|folder|verzeichnis|dossier|repo(?:sitory)?|database)\\b|\\bdisable\\s+(?:the\\s+)?(?:password|auth\\w*|sandbox|security|ssl|tls|verification)\\b',
    ),
  },
];

/** Data worth stealing, named next to a send verb and a URL (the exfiltration rule reads one line at a time). */
export const SENSITIVE =
  /~\/\.ssh|\bid_(?:rsa|ed25519|ecdsa)\b|(?:^|[\s"'`(/])\.env\b|\.aws\b|\bcredentials\b|\bapi[_\s-]?keys?\b|\b[A-Z][A-Z0-9]*_(?:API_)?(?:KEY|TOKEN|SECRET)\b|\bsecrets?\b|\benvironment\s+variables\b|\benv\s+vars\b|\bconversation\b|\bprevious\s+messages\b|\bchat\s+history\b|\bsystem\s+prompt\b|\bpasswords?\b|\.npmrc\b|\bgit\s+remote\b|\$\(\s*cat\b|\bprivate\s+key\b|\buser['’]s\s+(?:code|files|messages)\b|用户的代码|содержимое/i;
/** A send verb used as a verb: not a label ("**fetch:**"), not part of a name (fetch-blob, include_path). */
export const SEND_VERB =
  /\b(?:send|post|upload|exfiltrat\w*|forward|append|include|leak|transmit|curl|wget|fetch|submit|pipe)\b(?![:*_-])|отправ\w*|发送|上传|送信|envía|envoie|sende/i;
export const URL_OR_HOST = /https?:\/\/\S+|\b\d{1,3}(?:\.\d{1,3}){3}\b/i;
/** An image whose URL has a placeholder for the model to fill (DATA, {history}, <secret>, $x): auto-loaded = sent. */
export const MARKDOWN_IMAGE_PLACEHOLDER =
  /!\[[^\]\n]{0,200}\]\(\s*<?https?:\/\/[^)\s]+\?[^)\s]*=(?:(?:[A-Z]+_)*(?:DATA|SECRETS?|HISTORY|CONVERSATION|SUMMARY|PROMPT|KEYS?|TOKEN|PAYLOAD|CONTEXT|MESSAGES|CHAT|INFO)(?:_[A-Z]+)*|\{[^}\s]{1,60}\}|<[^>\s]{1,60}>|\$\w+|%s)(?=[)&\s#])/g;
