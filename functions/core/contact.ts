// What makes a contact usable, shared by the channels that need it: a plausible E.164 mobile number.

const E164 = /^\+[1-9]\d{7,14}$/;

export const isMobileNumber = (phone: string | undefined): phone is string => typeof phone === 'string' && E164.test(phone);

/** "+9665•••••001": enough for the merchant to recognise the customer, not to copy the number. */
export const maskedPhone = (phone: string): string => (phone.length > 7 ? `${phone.slice(0, 5)}${'•'.repeat(phone.length - 8)}${phone.slice(-3)}` : '•••');

/** "a•••@example.com". */
export const maskedEmail = (email: string): string => email.replace(/^(.)[^@]*(@.*)?$/, (_m, first: string, domain?: string) => `${first}•••${domain ?? ''}`);

/** A plausible e-mail address: something@domain.tld, no spaces. Deliverability is the provider's to say. */
export const isEmailAddress = (email: string | undefined): email is string => typeof email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
