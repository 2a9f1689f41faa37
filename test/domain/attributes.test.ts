import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IDENTITIES_ATTRIBUTE,
  STANDARD_ATTRIBUTES,
  addCustomAttributes,
  buildPoolSchema,
  missingRequiredAttributes,
  requiredAttributesMessage,
  validateUserAttributes,
} from '../../src/domain/attributes.js';
import type { SchemaAttributeType } from '../../src/generated/cognito-idp/shapes.js';

function throwsParameter(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal((error as { type?: string }).type, 'InvalidParameterException');
    assert.equal((error as { status?: number }).status, 400);
    assert.equal(error.message, message);
    return true;
  });
}

function find(schema: readonly SchemaAttributeType[], name: string): SchemaAttributeType | undefined {
  return schema.find((a) => a.Name === name);
}

const str = (name: string, min: string, max: string, mutable = true, required = false): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: mutable,
  Required: required,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
});
const bool = (name: string): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

describe('STANDARD_ATTRIBUTES', () => {
  it('matches a real DescribeUserPool response for a pool created without a Schema', () => {
    assert.deepEqual(STANDARD_ATTRIBUTES, [
      str('sub', '1', '2048', false, true),
      str('name', '0', '2048'),
      str('given_name', '0', '2048'),
      str('family_name', '0', '2048'),
      str('middle_name', '0', '2048'),
      str('nickname', '0', '2048'),
      str('preferred_username', '0', '2048'),
      str('profile', '0', '2048'),
      str('picture', '0', '2048'),
      str('website', '0', '2048'),
      str('email', '0', '2048'),
      bool('email_verified'),
      str('gender', '0', '2048'),
      str('birthdate', '10', '10'),
      str('zoneinfo', '0', '2048'),
      str('locale', '0', '2048'),
      str('phone_number', '0', '2048'),
      bool('phone_number_verified'),
      str('address', '0', '2048'),
      {
        Name: 'updated_at',
        AttributeDataType: 'Number',
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        NumberAttributeConstraints: { MinValue: '0' },
      },
    ]);
  });

  it('is frozen all the way down', () => {
    assert.ok(Object.isFrozen(STANDARD_ATTRIBUTES));
    assert.ok(Object.isFrozen(STANDARD_ATTRIBUTES[0]));
    assert.ok(Object.isFrozen(STANDARD_ATTRIBUTES[0]?.StringAttributeConstraints));
    assert.ok(Object.isFrozen(IDENTITIES_ATTRIBUTE));
  });

  it('offers the identities entry of federated pools separately', () => {
    assert.equal(find(STANDARD_ATTRIBUTES, 'identities'), undefined);
    assert.deepEqual(IDENTITIES_ATTRIBUTE, {
      Name: 'identities',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: {},
    });
  });
});

describe('buildPoolSchema', () => {
  it('returns mutable copies of the standard attributes when there is no Schema', () => {
    const schema = buildPoolSchema(undefined);
    assert.deepEqual(schema, STANDARD_ATTRIBUTES);
    assert.ok(!Object.isFrozen(schema[1]));
    schema[1]!.Required = true;
    assert.equal(STANDARD_ATTRIBUTES[1]?.Required, false);
    assert.deepEqual(buildPoolSchema([]), STANDARD_ATTRIBUTES);
  });

  it('applies overrides of standard attributes in place', () => {
    const schema = buildPoolSchema([
      { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: false },
      { Name: 'given_name', StringAttributeConstraints: { MinLength: '2', MaxLength: '100' } },
    ]);
    assert.equal(schema.length, STANDARD_ATTRIBUTES.length);
    assert.deepEqual(find(schema, 'email'), str('email', '0', '2048', false, true));
    assert.deepEqual(find(schema, 'given_name'), str('given_name', '2', '100'));
    assert.equal(schema[10]?.Name, 'email');
  });

  it('keeps sub’s fixed definition', () => {
    const schema = buildPoolSchema([{ Name: 'sub', AttributeDataType: 'String', Mutable: true, Required: false }]);
    assert.deepEqual(find(schema, 'sub'), str('sub', '1', '2048', false, true));
  });

  it('refuses to change a standard attribute’s type or make it developer-only', () => {
    const message = 'You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email';
    throwsParameter(() => buildPoolSchema([{ Name: 'email', AttributeDataType: 'Number' }]), message);
    throwsParameter(() => buildPoolSchema([{ Name: 'email', DeveloperOnlyAttribute: true }]), message);
  });

  it('appends custom attributes after the standard ones, prefixed', () => {
    const schema = buildPoolSchema([
      { Name: 'tenant', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '1', MaxLength: '36' } },
      { Name: 'email', AttributeDataType: 'String', Required: true },
      { Name: 'age', AttributeDataType: 'Number', Mutable: false },
      { Name: 'flag', AttributeDataType: 'Boolean' },
    ]);
    assert.deepEqual(schema.slice(STANDARD_ATTRIBUTES.length), [
      str('custom:tenant', '1', '36'),
      { Name: 'custom:age', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: false, Required: false },
      { Name: 'custom:flag', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
    ]);
  });

  it('gives a custom String attribute without constraints an empty constraints object', () => {
    const schema = buildPoolSchema([{ Name: 'plan', AttributeDataType: 'String' }]);
    assert.deepEqual(find(schema, 'custom:plan'), {
      Name: 'custom:plan',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: {},
    });
  });

  it('reproduces the service model’s CreateUserPool example (dev:custom:, constraints filtered by type)', () => {
    const schema = buildPoolSchema([
      {
        AttributeDataType: 'Number',
        DeveloperOnlyAttribute: true,
        Mutable: true,
        Name: 'mydev',
        NumberAttributeConstraints: { MaxValue: '99', MinValue: '1' },
        Required: false,
        StringAttributeConstraints: { MaxLength: '99', MinLength: '1' },
      },
    ]);
    assert.deepEqual(schema.at(-1), {
      Name: 'dev:custom:mydev',
      AttributeDataType: 'Number',
      DeveloperOnlyAttribute: true,
      Mutable: true,
      Required: false,
      NumberAttributeConstraints: { MaxValue: '99', MinValue: '1' },
    });
  });

  it('prefixes even a name that already starts with custom:', () => {
    const schema = buildPoolSchema([{ Name: 'custom:sub', AttributeDataType: 'String' }]);
    assert.equal(schema.at(-1)?.Name, 'custom:custom:sub');
  });

  it('refuses required custom attributes', () => {
    throwsParameter(
      () => buildPoolSchema([{ Name: 'user_id', AttributeDataType: 'Number', Required: true }]),
      'Required custom attributes are not supported currently.',
    );
  });

  it('refuses custom attributes without a data type', () => {
    throwsParameter(
      () => buildPoolSchema([{ Name: 'custom' }]),
      'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.',
    );
  });

  it('refuses custom attribute names over 20 characters or missing', () => {
    throwsParameter(
      () =>
        buildPoolSchema([
          { Name: 'ok', AttributeDataType: 'String' },
          { Name: 'x'.repeat(21), AttributeDataType: 'String' },
        ]),
      `1 validation error detected: Value '${'x'.repeat(21)}' at 'schema.2.member.name' failed to satisfy constraint: Member must have length less than or equal to 20`,
    );
    assert.equal(buildPoolSchema([{ Name: 'x'.repeat(20), AttributeDataType: 'String' }]).at(-1)?.Name, `custom:${'x'.repeat(20)}`);
    throwsParameter(
      () => buildPoolSchema([{ AttributeDataType: 'String' }]),
      "1 validation error detected: Value null at 'schema.1.member.name' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses duplicate names', () => {
    throwsParameter(
      () =>
        buildPoolSchema([
          { Name: 'a', AttributeDataType: 'String' },
          { Name: 'a', AttributeDataType: 'Number' },
        ]),
      'custom:a: Existing attribute already has name custom:a.',
    );
    throwsParameter(
      () =>
        buildPoolSchema([
          { Name: 'a', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
          { Name: 'a', AttributeDataType: 'String' },
        ]),
      'custom:a: Existing attribute already has name dev:custom:a.',
    );
    throwsParameter(
      () =>
        buildPoolSchema([
          { Name: 'email', Required: true },
          { Name: 'email', Required: false },
        ]),
      'email: Existing attribute already has name email.',
    );
  });

  it('refuses more than 50 custom attributes', () => {
    const fifty = Array.from({ length: 50 }, (_, i): SchemaAttributeType => ({ Name: `a${i}`, AttributeDataType: 'String' }));
    assert.equal(buildPoolSchema(fifty).length, STANDARD_ATTRIBUTES.length + 50);
    throwsParameter(
      () => buildPoolSchema([...fifty, { Name: 'one_more', AttributeDataType: 'String' }]),
      'Cannot add more custom attributes: a user pool can have at most 50 custom attributes.',
    );
  });

  it('validates constraints', () => {
    throwsParameter(
      () => buildPoolSchema([{ Name: 'a', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: 'x' } }]),
      'Invalid StringAttributeConstraints for schema attribute custom:a',
    );
    throwsParameter(
      () => buildPoolSchema([{ Name: 'a', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '-1' } }]),
      'Invalid StringAttributeConstraints for schema attribute custom:a',
    );
    throwsParameter(
      () => buildPoolSchema([{ Name: 'email', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '2049' } }]),
      'user.email: String attributes cannot have a length of more than 2048',
    );
    throwsParameter(
      () => buildPoolSchema([{ Name: 'email', StringAttributeConstraints: { MinLength: '2', MaxLength: '1' } }]),
      'user.email: Max length cannot be less than min length.',
    );
    throwsParameter(
      () => buildPoolSchema([{ Name: 'updated_at', NumberAttributeConstraints: { MinValue: '2', MaxValue: '1' } }]),
      'user.updated_at: Max value cannot be less than min value.',
    );
    throwsParameter(
      () => buildPoolSchema([{ Name: 'n', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1.5' } }]),
      'Invalid NumberAttributeConstraints for schema attribute custom:n',
    );
    const negative = buildPoolSchema([{ Name: 'n', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '-10' } }]);
    assert.deepEqual(negative.at(-1)?.NumberAttributeConstraints, { MinValue: '-10' });
  });
});

describe('addCustomAttributes', () => {
  const base = buildPoolSchema([{ Name: 'banana', AttributeDataType: 'String', DeveloperOnlyAttribute: true }]);

  it('appends new custom attributes without touching the input', () => {
    const before = structuredClone(base);
    const schema = addCustomAttributes(base, [{ Name: 'tier', AttributeDataType: 'String', Mutable: false }]);
    assert.deepEqual(base, before);
    assert.equal(schema.length, base.length + 1);
    assert.deepEqual(schema.at(-1), {
      Name: 'custom:tier',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: false,
      StringAttributeConstraints: {},
    });
  });

  it('refuses a name the pool already has, naming the existing attribute', () => {
    throwsParameter(
      () => addCustomAttributes(base, [{ Name: 'banana', AttributeDataType: 'String', DeveloperOnlyAttribute: true }]),
      'custom:banana: Existing attribute already has name dev:custom:banana.',
    );
    const withCustom = addCustomAttributes(base, [{ Name: 'custom:name', AttributeDataType: 'String' }]);
    throwsParameter(
      () => addCustomAttributes(withCustom, [{ Name: 'custom:name', AttributeDataType: 'String' }]),
      'custom:custom:name: Existing attribute already has name custom:custom:name.',
    );
  });

  it('refuses a name repeated within one request', () => {
    throwsParameter(
      () =>
        addCustomAttributes(base, [
          { Name: 'x', AttributeDataType: 'String' },
          { Name: 'x', AttributeDataType: 'String' },
        ]),
      'custom:x: Existing attribute already has name custom:x.',
    );
  });

  it('allows a custom attribute named like a standard one', () => {
    assert.equal(addCustomAttributes(base, [{ Name: 'email', AttributeDataType: 'String' }]).at(-1)?.Name, 'custom:email');
  });

  it('applies the custom attribute rules', () => {
    throwsParameter(
      () => addCustomAttributes(base, [{ Name: 'r', AttributeDataType: 'String', Required: true }]),
      'Required custom attributes are not supported currently.',
    );
    throwsParameter(
      () => addCustomAttributes(base, [{ Name: 'y'.repeat(21), AttributeDataType: 'String' }]),
      `1 validation error detected: Value '${'y'.repeat(21)}' at 'customAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20`,
    );
  });

  it('refuses to go past 50 custom attributes in total', () => {
    const many = Array.from({ length: 49 }, (_, i): SchemaAttributeType => ({ Name: `c${i}`, AttributeDataType: 'String' }));
    const full = addCustomAttributes(base, many);
    throwsParameter(
      () => addCustomAttributes(full, [{ Name: 'extra', AttributeDataType: 'String' }]),
      'Cannot add more custom attributes: a user pool can have at most 50 custom attributes.',
    );
  });
});

describe('validateUserAttributes', () => {
  const schema = buildPoolSchema([
    { Name: 'email', Required: true },
    { Name: 'nickname', Mutable: false },
    { Name: 'tenant', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
    { Name: 'age', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
    { Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
  ]);

  it('returns the attributes as a map, booleans normalised', () => {
    assert.deepEqual(
      validateUserAttributes(
        schema,
        [
          { Name: 'email', Value: 'a@example.com' },
          { Name: 'email_verified', Value: 'True' },
          { Name: 'custom:tenant', Value: 'acme' },
          { Name: 'custom:age', Value: '42' },
          { Name: 'dev:custom:secret', Value: 's' },
          { Name: 'name', Value: '' },
        ],
        'create',
      ),
      {
        email: 'a@example.com',
        email_verified: 'true',
        'custom:tenant': 'acme',
        'custom:age': '42',
        'dev:custom:secret': 's',
        name: '',
      },
    );
  });

  it('lets the last of repeated attributes win', () => {
    assert.deepEqual(
      validateUserAttributes(
        schema,
        [
          { Name: 'name', Value: 'a' },
          { Name: 'name', Value: 'b' },
        ],
        'update',
      ),
      { name: 'b' },
    );
  });

  it('refuses a missing value', () => {
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'custom:tenant' }], 'create'),
      'Attribute value for custom:tenant must not be null',
    );
  });

  it('lists unknown attributes on create, one line each', () => {
    throwsParameter(
      () =>
        validateUserAttributes(
          schema,
          [
            { Name: 'firstName', Value: 'x' },
            { Name: 'lastName', Value: 'y' },
          ],
          'create',
        ),
      'Attributes did not conform to the schema: firstName: Attribute does not exist in the schema.\nlastName: Attribute does not exist in the schema.\n',
    );
  });

  it('reports an unknown custom attribute on create as Cognito does today', () => {
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'custom:role', Value: 'x' }], 'create'),
      'Attributes did not conform to the schema: Type for attribute {custom:role} could not be determined',
    );
  });

  it('lists unknown attributes on update with the user. prefix', () => {
    throwsParameter(
      () =>
        validateUserAttributes(
          schema,
          [
            { Name: 'custom:address', Value: 'x' },
            { Name: 'custom:lat', Value: '1' },
          ],
          'update',
        ),
      'user.custom:address: Attribute does not exist in the schema.\nuser.custom:lat: Attribute does not exist in the schema.\n',
    );
  });

  it('refuses immutable attributes on update only', () => {
    assert.deepEqual(validateUserAttributes(schema, [{ Name: 'nickname', Value: 'nick' }], 'create'), { nickname: 'nick' });
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'nickname', Value: 'nick' }], 'update'),
      'user.nickname: Attribute cannot be updated.\n',
    );
    throwsParameter(
      () =>
        validateUserAttributes(
          schema,
          [
            { Name: 'custom:tenant', Value: 'acme' },
            { Name: 'name', Value: 'n' },
          ],
          'update',
        ),
      'user.custom:tenant: Attribute cannot be updated.\n',
    );
  });

  it('refuses sub in both modes', () => {
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'sub', Value: 'x' }], 'create'),
      'Attributes did not conform to the schema: sub: Attribute cannot be updated.\n',
    );
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'sub', Value: 'x' }], 'update'),
      'user.sub: Attribute cannot be updated.\n',
    );
  });

  it('checks string length constraints', () => {
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'custom:tenant', Value: 'toolong' }], 'create'),
      'Attributes did not conform to the schema: custom:tenant: String must be no longer than 5 characters\n',
    );
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'custom:tenant', Value: 'a' }], 'create'),
      'Attributes did not conform to the schema: custom:tenant: String must be at least 2 characters\n',
    );
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'birthdate', Value: '1990-1-1' }], 'update'),
      'user.birthdate: String must be at least 10 characters\n',
    );
    assert.deepEqual(validateUserAttributes(schema, [{ Name: 'birthdate', Value: '1990-01-01' }], 'update'), {
      birthdate: '1990-01-01',
    });
  });

  it('refuses values over 2048 characters', () => {
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'address', Value: 'x'.repeat(2049) }], 'update'),
      'user.address: String must be no longer than 2048 characters\n',
    );
  });

  it('checks number type and bounds', () => {
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'custom:age', Value: 'old' }], 'update'),
      'user.custom:age: Number must be an integer\n',
    );
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'custom:age', Value: '151' }], 'update'),
      'user.custom:age: Number must be no greater than 150\n',
    );
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'updated_at', Value: '-1' }], 'update'),
      'user.updated_at: Number must be no less than 0\n',
    );
    assert.deepEqual(validateUserAttributes(schema, [{ Name: 'updated_at', Value: '1700000000' }], 'update'), {
      updated_at: '1700000000',
    });
  });

  it('checks boolean values', () => {
    assert.deepEqual(validateUserAttributes(schema, [{ Name: 'phone_number_verified', Value: 'FALSE' }], 'update'), {
      phone_number_verified: 'false',
    });
    throwsParameter(
      () => validateUserAttributes(schema, [{ Name: 'email_verified', Value: 'yes' }], 'update'),
      'user.email_verified: Attribute value must be true or false\n',
    );
  });

  it('collects every schema problem into one message', () => {
    throwsParameter(
      () =>
        validateUserAttributes(
          schema,
          [
            { Name: 'nope', Value: 'x' },
            { Name: 'nickname', Value: 'n' },
            { Name: 'custom:age', Value: 'x' },
          ],
          'update',
        ),
      'user.nope: Attribute does not exist in the schema.\nuser.nickname: Attribute cannot be updated.\nuser.custom:age: Number must be an integer\n',
    );
  });

  it('checks the email format', () => {
    for (const bad of ['not-an-email', 'a@', '@b.com', 'a b@c.com', 'a@b@c', '']) {
      throwsParameter(() => validateUserAttributes(schema, [{ Name: 'email', Value: bad }], 'update'), 'Invalid email address format.');
    }
    assert.deepEqual(validateUserAttributes(schema, [{ Name: 'email', Value: 'first.last+tag@sub.example.co.uk' }], 'update'), {
      email: 'first.last+tag@sub.example.co.uk',
    });
  });

  it('checks the phone number format (E.164)', () => {
    for (const bad of ['5555550100', '+1 555 555 0100', '+1-555-555-0100', '+0123', '+1234567890123456', '+']) {
      throwsParameter(
        () => validateUserAttributes(schema, [{ Name: 'phone_number', Value: bad }], 'create'),
        'Invalid phone number format.',
      );
    }
    assert.deepEqual(validateUserAttributes(schema, [{ Name: 'phone_number', Value: '+15555550100' }], 'create'), {
      phone_number: '+15555550100',
    });
  });

  it('reports schema problems before format problems', () => {
    throwsParameter(
      () =>
        validateUserAttributes(
          schema,
          [
            { Name: 'email', Value: 'bad' },
            { Name: 'nope', Value: 'x' },
          ],
          'create',
        ),
      'Attributes did not conform to the schema: nope: Attribute does not exist in the schema.\n',
    );
  });
});

describe('missingRequiredAttributes and requiredAttributesMessage', () => {
  const schema = buildPoolSchema([
    { Name: 'name', Required: true },
    { Name: 'email', Required: true },
  ]);

  it('lists the required attributes that are absent or empty, in schema order, never sub', () => {
    assert.deepEqual(missingRequiredAttributes(schema, {}), ['name', 'email']);
    assert.deepEqual(missingRequiredAttributes(schema, { email: 'a@b.c', name: '' }), ['name']);
    assert.deepEqual(missingRequiredAttributes(schema, { email: 'a@b.c', name: 'N' }), []);
    assert.deepEqual(missingRequiredAttributes(STANDARD_ATTRIBUTES, {}), []);
  });

  it('words the SignUp error as Cognito does', () => {
    assert.equal(requiredAttributesMessage(['email']), 'Attributes did not conform to the schema: email: The attribute is required\n');
    assert.equal(
      requiredAttributesMessage(['name', 'email']),
      'Attributes did not conform to the schema: name: The attribute is required\nemail: The attribute is required\n',
    );
  });
});
