const YES = /^(y|yes|yep|yeah|yup|yes please|sure|ok|okay|correct|right|confirm|confirmed|do it|go ahead|exactly|that's right|thats right|👍|✅|:\+1:|:thumbsup:|:white_check_mark:)$/u;
const NO = /^(n|no|nope|nah|no thanks|cancel|stop|wrong|abort|don't|dont|never mind|nevermind|👎|❌|:-1:|:thumbsdown:|:x:)$/u;

/** A plain yes or no, as the answer to "Did you mean ...?"; anything else is a new message. */
export function confirmationAnswer(text: string): 'yes' | 'no' | undefined {
  const said = text
    .toLowerCase()
    .replace(/<@[^>]+>|(^|\s)@\S+/g, ' ')
    .replace(/[’]/g, "'")
    .replace(/[.!,]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (YES.test(said)) return 'yes';
  if (NO.test(said)) return 'no';
  return undefined;
}
