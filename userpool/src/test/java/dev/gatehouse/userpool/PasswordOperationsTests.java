package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordOperationsTests {

    @ParameterizedTest
    @CsvSource({
        "AWSCognitoIdentityProviderService.InitiateAuth, true",
        "AWSCognitoIdentityProviderService.AdminCreateUser, true",
        "AWSCognitoIdentityProviderService.ConfirmForgotPassword, true",
        "AWSCognitoIdentityProviderService.GetUser, false",
        "AWSCognitoIdentityProviderService.InitiateAuthX, false",
        "AWSCognitoIdentityProviderServiceX.InitiateAuth, false",
        "AWSCognitoIdentityService.GetId, false",
        "InitiateAuth, false",
        "AWSCognitoIdentityProviderService, false"
    })
    void mayHashWhenTargetThenOnlyThePasswordOperationsOfTheUserPoolApi(String target, boolean expected) {
        assertThat(PasswordOperations.mayHash(target)).isEqualTo(expected);
    }
}
