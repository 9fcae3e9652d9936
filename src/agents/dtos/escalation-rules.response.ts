import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { ESCALATION_RULE_ACTIONS, ESCALATION_RULE_LIMITS, EscalationRuleAction } from '../escalation-rules';

const { phrasesPerList, phraseChars, frustrationTimes, failedToolsInARow, noProgressMinutes } = ESCALATION_RULE_LIMITS;

const ACTION: ApiPropertyOptions = {
  enum: ESCALATION_RULE_ACTIONS,
  description:
    'off: the rule does nothing. escalation-handoff: hand the caller to the escalation department (not allowed in that department itself, ' +
    'nor when it does not exist). human-transfer: transfer to a person at once',
};

const PHRASES: ApiPropertyOptions = {
  type: [String],
  maxItems: phrasesPerList,
  description:
    `At most ${phrasesPerList} phrases of 1 to ${phraseChars} characters, each with a letter or digit. Matched on the caller's finished ` +
    'transcripts as whole words, case and punctuation ignored; two phrases that differ only in case or punctuation are refused',
};

export class EscalationActionRuleView {
  @ApiProperty(ACTION)
  action: EscalationRuleAction;
}

export class EscalationPhraseRuleView extends EscalationActionRuleView {
  @ApiProperty(PHRASES)
  phrases: string[];
}

export class EscalationFrustrationRuleView extends EscalationPhraseRuleView {
  @ApiProperty({
    minimum: frustrationTimes.min,
    maximum: frustrationTimes.max,
    description: 'Acted on once heard this many times in the call',
  })
  times: number;
}

export class EscalationFailedToolsRuleView extends EscalationActionRuleView {
  @ApiProperty({ minimum: failedToolsInARow.min, maximum: failedToolsInARow.max, description: 'Tool calls in a row that failed' })
  inARow: number;
}

export class EscalationNoProgressRuleView extends EscalationActionRuleView {
  @ApiProperty({
    minimum: noProgressMinutes.min,
    maximum: noProgressMinutes.max,
    description: 'Minutes with no tool succeeding and no handoff applied',
  })
  minutes: number;
}

/** What the service escalates on by itself in a department, whatever the model says. */
export class EscalationRulesView {
  @ApiProperty({ type: EscalationPhraseRuleView, description: 'The caller asks for a person' })
  humanRequest: EscalationPhraseRuleView;

  @ApiProperty({ type: EscalationFrustrationRuleView, description: 'The caller is frustrated' })
  frustration: EscalationFrustrationRuleView;

  @ApiProperty({ type: EscalationPhraseRuleView, description: 'Words that must always reach a person' })
  redFlags: EscalationPhraseRuleView;

  @ApiProperty({ type: EscalationFailedToolsRuleView })
  failedTools: EscalationFailedToolsRuleView;

  @ApiProperty({ type: EscalationActionRuleView, description: "The model's handoff was refused (handoff limit or ping-pong)" })
  handoffRefused: EscalationActionRuleView;

  @ApiProperty({ type: EscalationNoProgressRuleView })
  noProgress: EscalationNoProgressRuleView;
}
