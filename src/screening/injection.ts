/**
 * Instruction-like text aimed at a future agent. Dreamed memories are imperative playbooks
 * ("run `pnpm install` before `npm test`"), so the rules do not target imperatives as such:
 * they target text that talks to an agent *about its instructions or behaviour* (override,
 * impersonated system/role turns, "if you are an AI…"), that tries to persist itself ("save this
 * to your memory"), that moves data out (send secrets to a URL, `cat .env | curl`), or that asks
 * for secrecy from the user. Each rule is one regex, case-insensitive, on one line; the benign
 * look-alikes in test/screening keep them honest.
 */
export interface InjectionRule {
  id: string;
  reason: string;
  re: RegExp;
}

const AGENT = String.raw`(?:ai|a\.i\.|assistants?|agents?|llms?|language models?|models?|claude|chatgpt|gpt|copilot|chatbots?|bots?|coding agents?)`;
const SENSITIVE = String.raw`(?:secrets?|credentials?|tokens?|api[ _-]?keys?|passwords?|private keys?|ssh keys?|env(?:ironment)?(?: variables?| vars?)?|\.env\b|cookies?|session (?:ids?|tokens?)|conversations?|chat history|transcripts?|system prompt|memor(?:y|ies)(?: contents?)?|source code|customer data|user data|pii)`;
const EXFIL_VERB = String.raw`(?:send|sends|sending|post|posting|upload|uploading|forward|forwarding|exfiltrate|exfiltrating|email|e-mail|transmit|leak|pipe|submit)`;
const DESTINATION = String.raw`(?:https?:\/\/|[\w.+-]+@[\w-]+\.[\w.]+|\b(?:external|remote|attacker|webhook|pastebin|this (?:url|address|endpoint|server|link))\b)`;
const SECRET_FILE = String.raw`(?:\.env\b|\.ssh\b|\.aws\b|\.netrc|\.npmrc|\.pypirc|\.git-credentials|credentials|id_rsa|id_ed25519|\/etc\/passwd|\/etc\/shadow|\.bash_history)`;
const PERSIST = String.raw`(?:from now on|from this point (?:on|forward)|henceforth|going forward|in (?:all|every|each) (?:future|subsequent|later) (?:sessions?|conversations?|tasks?|runs?|chats?)|for all future (?:sessions?|tasks?|conversations?))`;

const r = (src: string): RegExp => new RegExp(src, 'giu');

export const INJECTION_RULES: InjectionRule[] = [
  {
    id: 'override_instructions',
    reason: 'tells an agent to ignore or override its instructions',
    re: r(
      String.raw`\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|former|original|all|any|your|system|developer|safety)\b[^.\n]{0,20}?\b(?:instructions?|prompts?|directives?|guidelines|guardrails|constraints|polic(?:y|ies)|system messages?)\b`,
    ),
  },
  {
    id: 'override_everything',
    reason: 'tells an agent to discard what it was told',
    re: r(
      String.raw`\b(?:ignore|disregard|forget)\s+(?:everything|all|anything)\s+(?:above|before|prior|previously|you(?:'ve| have)? (?:were |been )?(?:told|given|instructed))`,
    ),
  },
  {
    id: 'new_instructions',
    reason: 'announces new or hidden instructions for an agent',
    re: r(
      String.raw`\b(?:new|updated|real|actual|secret|hidden|additional|revised|important)\s+(?:system\s+)?(?:instructions?|directives?|orders)\s*(?:for\s+(?:the\s+)?${AGENT}\s*)?:|\b(?:instructions?|message|note|orders|directives?)\s+(?:for|to)\s+(?:the\s+|any\s+|all\s+)?${AGENT}\b`,
    ),
  },
  {
    id: 'role_markup',
    reason: 'impersonates a system or role turn (chat-template markup)',
    re: r(
      String.raw`<\/?(?:system|system[-_]prompt|instructions?|im_start|im_end)>|<\|im_(?:start|end)\|>|<\|(?:system|assistant|user)\|>|\[\/?(?:INST|SYS)\]|<<\/?SYS>>`,
    ),
  },
  {
    id: 'role_prefix',
    reason: 'impersonates a system/developer message addressed to the agent',
    re: r(
      String.raw`(?:^|["'\n>]|\\n)\s*(?:\[|\*\*)?(?:system|developer|admin(?:istrator)?)(?:\s+(?:prompt|message|override|note|notice))?(?:\]|\*\*)?\s*:\s*(?:you\b|your\b|ignore|disregard|the (?:assistant|agent|ai|model)\b|from now on|new instructions|always\b|never\b|do not\b|don't\b|must\b)`,
    ),
  },
  {
    id: 'role_reassignment',
    reason: 'tries to change who the agent is',
    re: r(
      String.raw`\byou\s+are\s+now\s+(?:a|an|in|the|my|no longer|unrestricted|free|operating|acting|jailbroken|dan)\b|\b(?:developer|god|jailbreak|unrestricted)\s+mode\b|\bjailbreak(?:ing|ed)?\b|\bdo anything now\b`,
    ),
  },
  {
    id: 'addressed_to_agent',
    reason: 'addresses a future AI agent directly',
    re: r(
      String.raw`\b(?:if|when)\s+you\s+are\s+(?:an?\s+)?(?:ai|a\.i\.|assistant|agent|llm|language model|automated|bot|chatbot|claude)\b|\b(?:dear|attention|hey|hello|hi|note to|notice to|reminder to|message to|psst)\s*,?\s+(?:the\s+|any\s+|all\s+|future\s+)*${AGENT}\b|\b(?:to|for)\s+(?:any|the|all|every)\s+(?:future\s+)?${AGENT}\s+(?:reading|processing|parsing|that reads|who reads|seeing)\b|\b${AGENT}\s+(?:reading|processing|parsing|summari[sz]ing)\s+this\b`,
    ),
  },
  {
    id: 'memory_poisoning',
    reason: 'asks to be written into memory or standing instructions',
    re: r(
      String.raw`\b(?:save|store|remember|persist|write|add|insert|record|append)\b[^.\n]{0,30}?\b(?:this|the following|these (?:instructions?|rules?))\b[^.\n]{0,20}?\b(?:to|in|into)\s+(?:your\s+|the\s+)?(?:long[- ]term\s+)?(?:memory|memories|memory store|system prompt|CLAUDE\.md|AGENTS\.md|instructions|rules)\b|\bupdate\s+your\s+(?:memory|memories|instructions|system prompt|rules|guidelines)\b`,
    ),
  },
  {
    id: 'persistent_directive',
    reason: 'a standing order for every future session to move data out or act unsafely',
    re: r(
      String.raw`\b${PERSIST}\b[^\n]{0,80}?\b(?:${EXFIL_VERB}|share|report|reveal|print|include|disable|bypass|curl|wget|execute|eval)\b[^\n]{0,80}?(?:${SENSITIVE}|${DESTINATION}|\|\s*(?:ba)?sh\b)|\b${PERSIST}\b,?\s+(?:you|your|the\s+${AGENT})\b`,
    ),
  },
  {
    id: 'exfiltration',
    reason: 'asks to send secrets or data to an outside destination',
    re: r(
      String.raw`\b${EXFIL_VERB}\b[^\n]{0,60}?\b${SENSITIVE}[^\n]{0,60}?\b(?:to|at|via|into|using)\b[^\n]{0,20}?${DESTINATION}`,
    ),
  },
  {
    id: 'exfil_command',
    reason: 'a command that pipes secrets or the environment to the network',
    re: r(
      String.raw`(?:\b(?:env|printenv|history)\b|\bcat\s+[^|;\n]*${SECRET_FILE})[^|;\n]{0,40}\|\s*(?:base64\s*(?:-w\s*0\s*)?\|\s*)?(?:curl|wget|nc|ncat|netcat|socat|telnet)\b|\b(?:curl|wget)\b[^\n]{0,120}?(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|--upload-file|-T|--post-data|--post-file)[\s=]+["']?(?:@|[^"'\s]*=@|\$\(|\x60)[^\n]{0,60}?(?:${SECRET_FILE}|\benv\b|printenv|history|secrets?|tokens?)`,
    ),
  },
  {
    id: 'secrecy',
    reason: 'asks the agent to hide what it does from the user',
    re: r(
      String.raw`\b(?:do not|don't|never|without)\s+(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|disclos(?:e|ing)|notify(?:ing)?|alert(?:ing)?|let(?:ting)?)\s+(?:the\s+|any\s+)?(?:user|human|operator|developer|reviewer|maintainer|anyone|owner)s?\b(?!\s+(?:name|id|agent|interface))|\bkeep\s+(?:this|it|these)\s+(?:a\s+)?(?:secret|hidden|confidential|between us)\b|\b(?:hide|conceal)\s+(?:this|it|these|that)\s+from\s+(?:the\s+)?(?:user|human|reviewer|operator)|\bsilently\s+${EXFIL_VERB}\b`,
    ),
  },
];
