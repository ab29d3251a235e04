// GET /privacy and GET /terms: the pages the Teams app package links to. Open to anyone and
// free of customer data: they describe what the bot keeps, never show it.
import { renderPlainPage } from './plainPage.js';

export interface PublicPageFacts {
  /** OPENAI_API_KEY is set: feedback and call notes go to the model. */
  usesModel: boolean;
}

export function privacyPage(facts: PublicPageFacts): string {
  return renderPlainPage('Customer Growth bot: privacy', [
    {
      paragraphs: [
        'The Customer Growth bot is run by your own organisation, on its own server, with its own database. This page describes what it keeps; it never shows any of it.',
      ],
    },
    {
      heading: 'What the bot stores',
      paragraphs: [
        'Customer events your systems send it: customer id, name, segment, what happened (won, lost, bought more…), its value and date, and, when given, the reason, the customer’s own words and a contact number or address.',
        'Feedback staff log: the customer’s words, where they were heard, the stage and category, who logged it and the conversation it came from.',
        'People and places: the Slack member id or Microsoft Entra object id of anyone given a role, the channels and chats that get the digest or announcements, and the Teams conversations the bot was added to.',
        'Lost-customer call campaigns: who calls whom, and what each call found.',
      ],
    },
    {
      heading: 'Who can see it',
      paragraphs: [
        'The Monday digest goes to the channels and chats a CCO or leader subscribed. Its web page opens only with a private link the bot gives a CCO or leader in chat (it works for 24 hours), or with the operator’s token.',
        'Contact details appear only on the card of the person asked to call that customer, and to the CCO. Customers are not named in the digest’s quotes unless the operator turned that on.',
        facts.usesModel
          ? 'This installation uses an OpenAI model: the text of feedback and of call notes is sent to it to sort feedback and write short summaries. Nothing else is sent.'
          : 'This installation does not use an AI model: nothing leaves your organisation’s server except the messages it posts in Slack or Teams.',
      ],
    },
    {
      heading: 'How to delete it',
      paragraphs: [
        'Everything lives in your organisation’s database. Ask whoever runs the bot to delete a customer, a piece of feedback or a person’s role; removing the bot from a team or channel ends that conversation’s subscription. Deleting the database deletes everything.',
      ],
    },
  ]);
}

export function termsPage(): string {
  return renderPlainPage('Customer Growth bot: terms of use', [
    {
      paragraphs: [
        'The bot is a tool your organisation runs for its own staff. Use it for your work with customers, as your organisation’s own policies say.',
        'Its figures are counted from the customer events your systems send it; when they are wrong or late, so is the digest. It comes without warranty.',
        'Questions about this installation go to whoever runs it in your organisation.',
      ],
    },
  ]);
}
