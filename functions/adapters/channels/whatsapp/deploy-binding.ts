// What the delivery function needs on AWS to send WhatsApp messages: the sender number and template
// names as stack parameters, the token secret's read. No IAM for Meta: the token is the credential.
import type { DeployBinding } from '#adapters/module-kit';
import { WHATSAPP_SECRET_EXAMPLE, WHATSAPP_SECRET_NAME } from './whatsapp-secret';

const TEMPLATE_NAME = '^[a-z0-9_]{1,512}$';

const template = (what: string, fallback: string) => ({
  description: `Name of the approved WhatsApp UTILITY template for ${what} (WhatsApp Manager → Message templates)`,
  default: fallback,
  allowedPattern: TEMPLATE_NAME,
});

export const whatsappDeploy: DeployBinding = {
  parameters: {
    WhatsAppPhoneNumberId: {
      description: 'Phone number ID of the WhatsApp sender (WhatsApp Manager → API setup), not the phone number itself',
      allowedPattern: '^[0-9]{1,32}$',
    },
    WhatsAppGraphVersion: {
      description: 'Graph API version of the WhatsApp Cloud API calls; Meta retires old versions on a schedule',
      default: 'v26.0',
      allowedPattern: '^v[1-9][0-9]*\\.0$',
    },
    WhatsAppTemplateCodeAr: template('codes, Arabic (language "ar")', 'streamsync_code'),
    WhatsAppTemplateCodeEn: template('codes, English (language "en")', 'streamsync_code'),
    WhatsAppTemplateBackorderAr: template('backorder notices, Arabic (language "ar")', 'streamsync_backorder'),
    WhatsAppTemplateBackorderEn: template('backorder notices, English (language "en")', 'streamsync_backorder'),
    WhatsAppTemplateLinkAr: template('codes sent as a one-time reveal link, Arabic (language "ar")', 'streamsync_code_link'),
    WhatsAppTemplateLinkEn: template('codes sent as a one-time reveal link, English (language "en")', 'streamsync_code_link'),
  },
  env: {
    WHATSAPP_PHONE_NUMBER_ID: { parameter: 'WhatsAppPhoneNumberId' },
    WHATSAPP_GRAPH_VERSION: { parameter: 'WhatsAppGraphVersion' },
    WHATSAPP_TEMPLATE_CODE_AR: { parameter: 'WhatsAppTemplateCodeAr' },
    WHATSAPP_TEMPLATE_CODE_EN: { parameter: 'WhatsAppTemplateCodeEn' },
    WHATSAPP_TEMPLATE_BACKORDER_AR: { parameter: 'WhatsAppTemplateBackorderAr' },
    WHATSAPP_TEMPLATE_BACKORDER_EN: { parameter: 'WhatsAppTemplateBackorderEn' },
    WHATSAPP_TEMPLATE_LINK_AR: { parameter: 'WhatsAppTemplateLinkAr' },
    WHATSAPP_TEMPLATE_LINK_EN: { parameter: 'WhatsAppTemplateLinkEn' },
    WHATSAPP_TOKEN_SECRET_NAME: WHATSAPP_SECRET_NAME,
  },
  secrets: [
    {
      name: WHATSAPP_SECRET_NAME,
      why: `The WhatsApp system-user token is created by the merchant in Meta Business Settings after deploy (value: ${WHATSAPP_SECRET_EXAMPLE}).`,
    },
  ],
};
